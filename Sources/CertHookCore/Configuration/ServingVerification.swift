import Foundation

/// `verify: tls` on a deployment: after attaching, prove by TLS handshake that every domain is served
/// the new certificate before retiring anything (`resolve:` and `portOffset:` redirect the handshake,
/// `verifyTimeout:` bounds the wait).
public struct ServingVerification: Sendable, Codable, Equatable {
  /// `HOST:ADDRESS` overrides, like `probe --resolve`.
  public var resolve: [String]
  /// Added to every listener port.
  public var portOffset: Int
  /// Longest wait for the new certificate to be served, in seconds (default 60).
  public var timeout: Double

  /// Creates the setting.
  public init(resolve: [String] = [], portOffset: Int = 0, timeout: Double = 60) {
    self.resolve = resolve
    self.portOffset = portOffset
    self.timeout = timeout
  }
}
