import Foundation

/// A request exactly as it arrived (method, path, raw query, headers in order, body), kept only when the emulator
/// runs with `--record-wire`, so that an outside referee (the official SDK's signer) can re-sign it. It holds the
/// signature, any STS token and uploaded private keys: never enable it with anything but the emulator's fake keys.
public struct WireRecord: Codable, Sendable, Equatable {
  /// The HTTP method.
  public var method: String
  /// The path.
  public var path: String
  /// The query string as sent, still encoded ("" when none).
  public var rawQuery: String
  /// Headers as `[name, value]` pairs, names lowercased, in arrival order.
  public var headers: [[String]]
  /// The body as UTF-8 text (lossy for binary bodies).
  public var body: String

  /// Creates a record.
  public init(method: String, path: String, rawQuery: String, headers: [[String]], body: String) {
    self.method = method
    self.path = path
    self.rawQuery = rawQuery
    self.headers = headers
    self.body = body
  }
}
