import Foundation

/// Text forms of IP addresses: dotted IPv4 and RFC 5952 compressed lowercase IPv6.
enum IPAddressText {
  /// Formats 4 or 16 address bytes; nil for other lengths.
  static func format(_ bytes: [UInt8]) -> String? {
    if bytes.count == 4 {
      return bytes.map(String.init).joined(separator: ".")
    }
    guard bytes.count == 16 else { return nil }
    var groups: [Int] = []
    for index in stride(from: 0, to: 16, by: 2) {
      groups.append(Int(bytes[index]) << 8 | Int(bytes[index + 1]))
    }
    var bestStart = -1
    var bestLength = 0
    var index = 0
    while index < 8 {
      if groups[index] == 0 {
        var end = index
        while end < 8, groups[end] == 0 { end += 1 }
        if end - index > bestLength, end - index >= 2 {
          bestStart = index
          bestLength = end - index
        }
        index = end
      } else {
        index += 1
      }
    }
    let hex = groups.map { String($0, radix: 16) }
    if bestStart < 0 { return hex.joined(separator: ":") }
    let head = hex[0..<bestStart].joined(separator: ":")
    let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
    return head + "::" + tail
  }

  /// Parses an IPv4 or IPv6 literal into its bytes; nil when `text` is not an IP literal.
  static func parse(_ text: String) -> [UInt8]? {
    var trimmed = text
    if trimmed.hasPrefix("["), trimmed.hasSuffix("]") { trimmed = String(trimmed.dropFirst().dropLast()) }
    var v4 = in_addr()
    if inet_pton(AF_INET, trimmed, &v4) == 1 {
      return withUnsafeBytes(of: &v4) { Array($0) }
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, trimmed, &v6) == 1 {
      return withUnsafeBytes(of: &v6) { Array($0) }
    }
    return nil
  }
}
