import Foundation

/// JSON output of the lifecycle commands: sorted keys, RFC 3339 dates, one document on stdout.
enum LifecycleJSON {
  /// Encodes `value` as pretty-printed JSON text with a trailing newline.
  static func text<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    do {
      return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    } catch {
      return "{\"error\":\"cannot encode the result as JSON\"}\n"
    }
  }

  /// Writes `value` to standard output.
  static func print<T: Encodable>(_ value: T) {
    FileHandle.standardOutput.write(Data(text(value).utf8))
  }
}

