/// RFC 3986 percent-encoding as Alibaba Cloud signatures require it.
///
/// Unreserved characters (`A-Z a-z 0-9 - _ . ~`) are kept; every other UTF-8 byte becomes `%XX`
/// with uppercase hex, so a space is `%20`, `*` is `%2A` and `/` is `%2F`.
public enum AcsPercentEncoding {
  private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

  /// Percent-encodes `s` per RFC 3986 (" ~/*-+" becomes "%20~%2F%2A-%2B").
  public static func encode(_ s: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    for byte in s.utf8 {
      if isUnreserved(byte) {
        out.append(byte)
      } else {
        out.append(UInt8(ascii: "%"))
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0x0F)])
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Encodes and sorts `pairs` by name (then value) and joins them as `name=value&...`.
  public static func canonicalQuery(_ pairs: [(String, String)]) -> String {
    var encoded: [(name: String, value: String)] = []
    encoded.reserveCapacity(pairs.count)
    for (name, value) in pairs {
      encoded.append((encode(name), encode(value)))
    }
    encoded.sort { (a: (name: String, value: String), b: (name: String, value: String)) -> Bool in
      a.name == b.name ? a.value < b.value : a.name < b.name
    }
    var parts: [String] = []
    for item in encoded {
      parts.append(item.name + "=" + item.value)
    }
    return parts.joined(separator: "&")
  }

  /// Decodes `%XX` escapes (and, when `plusAsSpace` is set, `+` as a space); nil when malformed.
  public static func decode(_ s: String, plusAsSpace: Bool = false) -> String? {
    var out: [UInt8] = []
    var bytes = Array(s.utf8)[...]
    while let byte = bytes.popFirst() {
      if byte == UInt8(ascii: "%") {
        guard bytes.count >= 2, let hi = hexValue(bytes[bytes.startIndex]),
          let lo = hexValue(bytes[bytes.startIndex + 1])
        else { return nil }
        out.append(hi << 4 | lo)
        bytes = bytes.dropFirst(2)
      } else if plusAsSpace && byte == UInt8(ascii: "+") {
        out.append(UInt8(ascii: " "))
      } else {
        out.append(byte)
      }
    }
    return String(validating: out, as: UTF8.self)
  }

  private static func isUnreserved(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
      UInt8(ascii: "."), UInt8(ascii: "~"):
      return true
    default:
      return false
    }
  }

  private static func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
