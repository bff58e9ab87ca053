import Foundation

/// The emulator's own percent-coding, written from the API spec (section 2), never the client's: decoding what
/// arrives (`%XX`, and `+` as a space in queries and form bodies, as the gateway does) and the RFC 3986 encoding
/// the canonical forms of both signature versions use. A bug shared with the client cannot hide here.
enum WireCoding {
  /// RFC 3986 unreserved characters: kept as they are when encoding.
  private static func isUnreserved(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
      || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x7E
  }

  /// Every UTF-8 byte but the unreserved ones as `%XX` (uppercase hex): space `%20`, `*` `%2A`, `/` `%2F`.
  static func encode(_ text: String) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count * 3)
    for byte in text.utf8 {
      if isUnreserved(byte) {
        out.append(byte)
      } else {
        out += [0x25, digits[Int(byte / 16)], digits[Int(byte % 16)]]
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes one query or form component: `%XX` escapes, and `+` as a space (the SDK's `quote_plus`, HTML forms).
  /// Nil when an escape is malformed or the bytes are not UTF-8.
  static func decodeComponent(_ text: Substring) -> String? {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
      switch byte {
      case 0x2B:
        out.append(0x20)
      case 0x25:
        guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
          return nil
        }
        out.append(high * 16 + low)
      default:
        out.append(byte)
      }
    }
    return String(validating: out, as: UTF8.self)
  }

  /// Splits `name=value&...` and decodes both sides of every pair; empty items are skipped, a name without `=`
  /// has the empty value. Throws naming the first malformed name.
  static func decodePairs(_ text: String) throws(ApiError) -> [(String, String)] {
    var pairs: [(String, String)] = []
    for item in text.split(separator: "&", omittingEmptySubsequences: true) {
      let equals = item.firstIndex(of: "=")
      let rawName = equals.map { item[..<$0] } ?? item
      let rawValue = equals.map { item[item.index(after: $0)...] } ?? ""
      guard let name = decodeComponent(rawName), let value = decodeComponent(rawValue) else {
        throw ApiError.invalidParameter("malformed percent-encoding in '\(rawName.prefix(64))'")
      }
      pairs.append((name, value))
    }
    return pairs
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
  }
}
