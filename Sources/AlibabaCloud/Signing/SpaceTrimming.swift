import Foundation

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs (Unicode space separators included): what
  /// `trimmingCharacters(in: .whitespaces)` returns, without Foundation's `NSString` bridge, which cost more than
  /// the HMAC on every signed request.
  var trimmingSpaces: String {
    let scalars = unicodeScalars
    func isSpace(_ s: Unicode.Scalar) -> Bool {
      s == " " || s == "\t" || (s.value > 0x7F && s.properties.generalCategory == .spaceSeparator)
    }
    // Most values have nothing to trim: one copy, no scalar-by-scalar rebuild.
    if let first = scalars.first, let last = scalars.last, !isSpace(first), !isSpace(last) { return String(self) }
    guard let first = scalars.firstIndex(where: { !isSpace($0) }),
      let last = scalars.lastIndex(where: { !isSpace($0) })
    else { return "" }
    var kept = String.UnicodeScalarView()
    kept.append(contentsOf: scalars[first...last])
    return String(kept)
  }
}

extension String {
  /// `lowercased()` for header names: ASCII letters lowered byte by byte (no Unicode case tables); any other text
  /// goes through `lowercased()`, so the result is always the same as its.
  var asciiLowercased: String {
    var bytes = Array(utf8)
    var changed = false
    for i in bytes.indices {
      let byte = bytes[i]
      if byte >= 0x80 { return lowercased() }
      if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
        bytes[i] = byte + 32
        changed = true
      }
    }
    return changed ? String(decoding: bytes, as: UTF8.self) : self
  }
}

extension StringProtocol {
  /// Whether `other` names the same header: ASCII letters compared without case, byte by byte (HTTP header names
  /// are ASCII tokens); Foundation's `caseInsensitiveCompare` cost a request as much as its percent-encoding.
  func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
    let (a, b) = (utf8, other.utf8)
    guard a.count == b.count else { return false }
    return zip(a, b).allSatisfy { x, y in x == y || (Self.asciiLower(x) == Self.asciiLower(y) && Self.isASCIILetter(x)) }
  }

  private static func asciiLower(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
  }

  private static func isASCIILetter(_ byte: UInt8) -> Bool {
    let lower = asciiLower(byte)
    return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
  }
}
