import Foundation

/// Writes the members of one JSON object into a byte buffer, placing the commas and `null`s, so that a renderer
/// lists its fields one line each. `JSONText.object(into:_:)` wraps them in braces without copying the buffer.
struct JSONMembers {
  fileprivate(set) var bytes: [UInt8]
  private var count = 0

  fileprivate init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  private mutating func key(_ key: StaticString) {
    if count > 0 { bytes.append(UInt8(ascii: ",")) }
    count += 1
    JSONText.appendKey(key, to: &bytes)
  }

  private mutating func null() {
    bytes.append(contentsOf: "null".utf8)
  }

  mutating func string(_ name: StaticString, _ value: String?) {
    key(name)
    if let value { JSONText.appendString(value, to: &bytes) } else { null() }
  }

  mutating func strings(_ name: StaticString, _ values: [String]?) {
    key(name)
    if let values { JSONText.appendStrings(values, to: &bytes) } else { null() }
  }

  mutating func int(_ name: StaticString, _ value: Int?) {
    key(name)
    if let value { JSONText.appendInt(value, to: &bytes) } else { null() }
  }

  mutating func bool(_ name: StaticString, _ value: Bool) {
    key(name)
    JSONText.appendBool(value, to: &bytes)
  }

  /// An RFC 3339 UTC timestamp string.
  mutating func date(_ name: StaticString, _ value: Date) {
    key(name)
    bytes.append(UInt8(ascii: "\""))
    RFC3339.append(value, to: &bytes)
    bytes.append(UInt8(ascii: "\""))
  }

  /// A value the caller has already encoded (a number in a special format, a nested object or array).
  mutating func raw(_ name: StaticString, _ write: (inout [UInt8]) -> Void) {
    key(name)
    write(&bytes)
  }
}

extension JSONText {
  /// Appends `{ members }` to `bytes`; the buffer is moved into the writer and back, never copied.
  static func object(into bytes: inout [UInt8], _ body: (inout JSONMembers) -> Void) {
    bytes.append(UInt8(ascii: "{"))
    var members = JSONMembers(bytes: [])
    swap(&members.bytes, &bytes)
    body(&members)
    swap(&members.bytes, &bytes)
    bytes.append(UInt8(ascii: "}"))
  }
}
