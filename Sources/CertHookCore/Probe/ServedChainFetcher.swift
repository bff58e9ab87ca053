import CertificateKit
import Foundation

/// One TLS handshake: connect to `address:port`, send `serverName` as SNI (nil: none), and return the
/// chain the server presented (leaf first), parsed by CertificateKit. Implementations bound the whole
/// handshake by `timeout` and throw `ProbeFailure` on any failure.
public protocol ServedChainFetcher: Sendable {
  /// The presented chain, leaf first.
  func fetch(address: String, port: Int, serverName: String?, timeout: Duration) async throws -> [Certificate]
}
