/// A file or directory that a scan could not read, with the reason in plain words.
public struct ScanFailure: Sendable, Hashable, Codable {
  /// The path as the scan reached it (a command-line path or one below it).
  public let path: String
  /// A lowercase, actionable reason, e.g. `permission denied` or `malformed certificate block 2: ...`.
  public let message: String

  /// Creates a failure for `path` with `message`.
  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }
}
