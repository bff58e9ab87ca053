import Foundation

/// A server certificate attached to a listener.
public struct CloudListenerCertificate: Sendable, Codable, Equatable, Hashable {
  /// ALB certificate ID (`<CertId>-<region>`).
  public var certificateId: String
  /// True for the listener's default certificate.
  public var isDefault: Bool
  /// `Associating`, `Associated`, `Diassociating`/`Dissociating`.
  public var status: String

  /// Creates a value.
  public init(certificateId: String, isDefault: Bool, status: String) {
    self.certificateId = certificateId
    self.isDefault = isDefault
    self.status = status
  }

  /// True while being removed (either spelling).
  public var isDissociating: Bool {
    status.lowercased().hasSuffix("ssociating") && status.lowercased() != "associating"
  }
}
