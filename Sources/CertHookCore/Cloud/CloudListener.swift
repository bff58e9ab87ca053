import Foundation

/// An ALB listener as the engine sees it.
public struct CloudListener: Sendable, Codable, Equatable, Hashable {
  /// Listener ID (`lsr-...`).
  public var id: String
  /// Owning load balancer ID (`alb-...`).
  public var loadBalancerId: String
  /// `HTTP`, `HTTPS` or `QUIC`.
  public var listenerProtocol: String
  /// Listening port.
  public var port: Int
  /// `Running`, `Configuring`, `Provisioning` or `Stopped`.
  public var status: String
  /// The default certificate's ALB ID, when known.
  public var defaultCertificateId: String?

  /// Creates a listener value.
  public init(
    id: String, loadBalancerId: String, listenerProtocol: String, port: Int, status: String,
    defaultCertificateId: String? = nil
  ) {
    self.id = id
    self.loadBalancerId = loadBalancerId
    self.listenerProtocol = listenerProtocol
    self.port = port
    self.status = status
    self.defaultCertificateId = defaultCertificateId
  }

  /// True for listeners that carry certificates (HTTPS, QUIC).
  public var carriesCertificates: Bool {
    let p = listenerProtocol.uppercased()
    return p == "HTTPS" || p == "QUIC"
  }
}
