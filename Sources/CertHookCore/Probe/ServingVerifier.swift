import Foundation

/// Proves by handshake that a listener serves a certificate before anything older is retired.
///
/// The executor calls it after the new certificate is `Associated` (or the default replaced) and
/// before any dissociation; a throw fails that listener and keeps its old certificates.
public protocol ServingVerifier: Sendable {
  /// Returns once `certificateId` is served on the listener for every domain the deployment checks;
  /// returns at once when the deployment does not ask for verification; throws `ServingNotVerified`.
  func verifyServing(
    certificateId: String, listenerId: String, loadBalancerId: String?, port: Int?, deployment: String?
  ) async throws
}

/// The new certificate was not served within the wait; names what was served instead, per domain.
public struct ServingNotVerified: Error, CustomStringConvertible, Sendable, Equatable {
  /// The listener.
  public var listenerId: String
  /// The certificate that should be served.
  public var certificateId: String
  /// Per domain not yet served the new certificate: what the last handshake showed.
  public var served: [String: String]
  /// How long it waited.
  public var waited: Duration

  /// Creates the error.
  public init(listenerId: String, certificateId: String, served: [String: String], waited: Duration) {
    self.listenerId = listenerId
    self.certificateId = certificateId
    self.served = served
    self.waited = waited
  }

  /// Lowercase and operator-readable; the old certificates stay.
  public var description: String {
    let details = served.keys.sorted().map { "\($0): \(served[$0] ?? "?")" }.joined(separator: "; ")
    return
      "\(listenerId): \(certificateId) is Associated but not served after \(waited.components.seconds) s (\(details)); the previous certificates were kept"
  }
}
