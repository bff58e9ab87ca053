import CertificateKit
import Foundation

/// One certificate on one listener, as the remote expiry scan reports it.
public struct AuditRow: Codable, Sendable, Equatable {
  /// Load balancer ID.
  public var loadBalancerId: String
  /// Listener key.
  public var listenerId: String
  /// The listener's product.
  public var product: ListenerProduct = .alb
  /// Listener protocol.
  public var listenerProtocol: String
  /// Listener port.
  public var port: Int
  /// ALB certificate ID.
  public var certificateId: String
  /// True for the default certificate.
  public var isDefault: Bool
  /// Association status on the listener.
  public var associationStatus: String
  /// CAS name, when known.
  public var name: String?
  /// Common name, when known.
  public var commonName: String?
  /// Names the certificate covers (empty when CAS gave none).
  public var domains: [String]
  /// End of validity, when known.
  public var notAfter: Date?
  /// Whole days until notAfter (negative when expired), when known.
  public var daysRemaining: Int?
  /// `ok`, `warning`, `critical`, `expired` or `unknown` (same words as `scan`).
  public var status: String
}
