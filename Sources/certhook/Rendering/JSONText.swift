/// Minimal, fast JSON value encoding for the streaming renderers (RFC 8259 string escaping).
enum JSONText {
  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// Appends `value` as a JSON string literal.
  static func appendString(_ value: String, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    let utf8 = value.utf8
    if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
      bytes.append(contentsOf: utf8)
      bytes.append(UInt8(ascii: "\""))
      return
    }
    for byte in utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0..<0x20:
        bytes.append(contentsOf: Array("\\u00".utf8))
        bytes.append(hexDigits[Int(byte >> 4)])
        bytes.append(hexDigits[Int(byte & 0xF)])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Appends `"key":` (the key must not need escaping).
  static func appendKey(_ key: StaticString, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    key.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
  }

  /// Appends an array of strings.
  static func appendStrings(_ values: [String], to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "["))
    for (offset, value) in values.enumerated() {
      if offset > 0 { bytes.append(UInt8(ascii: ",")) }
      appendString(value, to: &bytes)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  /// Appends an integer.
  static func appendInt(_ value: Int, to bytes: inout [UInt8]) {
    bytes.append(contentsOf: String(value).utf8)
  }

  /// Appends `true` or `false`.
  static func appendBool(_ value: Bool, to bytes: inout [UInt8]) {
    bytes.append(contentsOf: (value ? "true" : "false").utf8)
  }
}
