import CertHookCore
import Foundation

/// JSON output of the lifecycle commands: sorted keys, RFC 3339 dates, one document on stdout.
enum LifecycleJSON {
  private static let encoder = SortedJSONEncoder(prettyPrinted: true, escapesSlashes: false)

  /// The pretty-printed JSON text of `value` with a trailing newline.
  static func bytes<T: Encodable>(_ value: T) -> [UInt8] {
    do {
      var bytes = try encoder.encodedBytes(value)
      bytes.append(0x0A)
      return bytes
    } catch {
      return Array("{\"error\":\"cannot encode the result as JSON\"}\n".utf8)
    }
  }

  /// Encodes `value` as pretty-printed JSON text with a trailing newline.
  static func text<T: Encodable>(_ value: T) -> String {
    String(decoding: bytes(value), as: UTF8.self)
  }

  /// Writes `value` to standard output.
  static func print<T: Encodable>(_ value: T) {
    FileHandle.standardOutput.write(Data(bytes(value)))
  }
}

