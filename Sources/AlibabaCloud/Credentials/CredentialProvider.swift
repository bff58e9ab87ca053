import Foundation

/// A source of credentials (explicit values, environment, a file, the ECS metadata service).
public protocol CredentialProvider: Sendable {
  /// Short name shown in `--verbose` output and error messages (never a secret).
  var name: String { get }
  /// Where this source looks, for "what was tried" messages (e.g. a file path or variable names).
  var lookupDescription: String { get }
  /// Current credentials; nil when this source is not configured. Throws when it is configured but
  /// unusable (malformed file, half-set variables, metadata error).
  func credentials() async throws -> AccessCredentials?
}

/// Reads a whole file; returns nil when it does not exist.
public typealias FileReader = @Sendable (_ path: String) throws -> [UInt8]?

/// File readers the CLI can inject.
public enum FileReaders {
  /// Reads from the local file system via `FileManager` (nil when the file is missing).
  public static let fileSystem: FileReader = { path in
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    do {
      return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      throw AlibabaCloudError.credentials("cannot read \(path): \(error.localizedDescription)")
    }
  }
}
