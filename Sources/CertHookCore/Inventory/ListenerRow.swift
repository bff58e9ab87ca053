import AlibabaCloud
import Foundation

/// One listener as `certhook listeners` shows it: its ID, load balancer, protocol, port, status and description,
/// and the server certificates on it (text exactly as the API gave it; the renderer escapes it).
public struct ListenerRow: Sendable, Equatable {
  /// One server certificate on the listener.
  public struct Certificate: Sendable, Equatable {
    /// The CAS certificate identifier, e.g. `123-cn-hangzhou`.
    public var certificateId: String
    /// `Server` (the only type listed).
    public var type: String
    /// Whether it is the listener's default certificate.
    public var isDefault: Bool
    /// The association status, e.g. `associated`.
    public var status: String
  }

  /// The listener (ID, load balancer, protocol, port, status).
  public var listener: CloudListener
  /// Its description, nil when none.
  public var description: String?
  /// Its server certificates.
  public var certificates: [Certificate]

  /// The row of `listener` with `certificates`.
  public init(listener: Listener, certificates: [ListenerCertificate]) {
    self.listener = CloudListener(listener)
    description = listener.description
    self.certificates = certificates.map {
      Certificate(certificateId: $0.certificateId, type: $0.type, isDefault: $0.isDefault, status: "\($0.status)")
    }
  }

  /// The row of a listener of any product, read through the backend (no description: only ALB lists one).
  public init(listener: CloudListener, certificates: [CloudListenerCertificate]) {
    self.listener = listener
    description = nil
    self.certificates = certificates.map {
      Certificate(certificateId: $0.certificateId, type: "Server", isDefault: $0.isDefault, status: $0.status)
    }
  }
}
