import Foundation

/// How a certificate is placed on a listener.
public enum DeploymentMode: String, Sendable, Codable, Equatable {
  /// Associate as an additional (SNI) certificate; the default certificate is never touched.
  case additional
  /// Replace the listener's default certificate.
  case `default`
}
