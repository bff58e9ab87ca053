import Foundation

/// Encodes `Encodable` values as JSON with sorted keys: exactly the bytes Foundation's `JSONEncoder` writes with
/// `.sortedKeys` (with `.prettyPrinted` and `.withoutEscapingSlashes` as asked) and `.iso8601` dates, in a fraction
/// of its time (a fleet's 6.5 MB sync report took 0.16 s of `JSONEncoder` after the last request).
///
/// Rules it keeps: the output never depends on which encoder made it (a test holds it to `JSONEncoder`'s bytes);
/// keys sort by `String` order, a key encoded twice keeps its last value; dates are RFC 3339 in UTC to the second;
/// `Data` is Base64 and `URL` its absolute string; a value that encodes nothing is `{}`; a non-finite number throws
/// `EncodingError.invalidValue`.
public struct SortedJSONEncoder: Sendable {
  /// Newlines and two-space indentation, `"key" : value`.
  public var prettyPrinted: Bool
  /// `/` written as `\/` (what `JSONEncoder` does unless told `.withoutEscapingSlashes`).
  public var escapesSlashes: Bool

  public init(prettyPrinted: Bool = true, escapesSlashes: Bool = true) {
    self.prettyPrinted = prettyPrinted
    self.escapesSlashes = escapesSlashes
  }

  /// The JSON text of `value`.
  public func encode<T: Encodable>(_ value: T) throws -> Data {
    Data(try encodedBytes(value))
  }

  /// The JSON text of `value`, as bytes.
  public func encodedBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
    let node = try JSONTree.node(for: value, codingPath: [])
    var writer = JSONTextWriter(prettyPrinted: prettyPrinted, escapesSlashes: escapesSlashes)
    writer.write(node, depth: 0)
    return writer.bytes
  }
}
