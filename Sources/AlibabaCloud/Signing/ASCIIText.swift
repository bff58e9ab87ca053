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
      if bytes[i] >= 0x80 { return lowercased() }
      let lowered = bytes[i].asciiLowercased
      changed = changed || lowered != bytes[i]
      bytes[i] = lowered
    }
    return changed ? String(decoding: bytes, as: UTF8.self) : self
  }
}

extension StringProtocol {
  /// Whether `other` names the same header: ASCII letters compared without case, byte by byte (HTTP header names
  /// are ASCII tokens); Foundation's `caseInsensitiveCompare` cost a request as much as its percent-encoding.
  func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
    utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
  }
}

extension UInt8 {
  /// The byte with `A`-`Z` lowered to `a`-`z`; every other byte as it is.
  var asciiLowercased: UInt8 { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self + 32 : self }
}
