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

extension ServingVerification {
  /// `verify: tls` of a deployment (`fields`), with optional `resolve:` (HOST:ADDRESS list), `portOffset:` and
  /// `verifyTimeout:` (seconds); nil without `verify`.
  static func read(_ fields: ConfigurationFields) throws -> ServingVerification? {
    guard let mode = try fields.string("verify") else {
      for key in ["resolve", "portOffset", "verifyTimeout"] where fields.has(key) {
        throw fields.error(key, "only applies with `verify: tls`")
      }
      return nil
    }
    guard mode == "tls" else { throw fields.error("verify", "\"\(mode)\" is not a check; use tls") }
    var setting = ServingVerification()
    if let resolve = try fields.stringList("resolve") {
      setting.resolve = resolve
      do { _ = try ProbeResolution.parse(resolve, portOffset: 0) } catch {
        throw fields.error("resolve", "\(error)")
      }
    }
    if let offset = try fields.int("portOffset") {
      guard (-65535...65535).contains(offset) else {
        throw fields.error("portOffset", "must be between -65535 and 65535")
      }
      setting.portOffset = offset
    }
    if let timeout = try fields.seconds("verifyTimeout") {
      guard timeout > 0, timeout <= 3600 else {
        throw fields.error("verifyTimeout", "must be between 0 and 3600 seconds")
      }
      setting.timeout = timeout
    }
    return setting
  }
}
