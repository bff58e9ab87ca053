import Foundation

/// Parses an API answer's bytes straight into `JSONValue`, one pass, no `Decodable` machinery (decoding every
/// answer through `JSONDecoder` and a `try?` chain per value was a tenth of a fleet run's CPU).
///
/// Rules it keeps: strict RFC 8259 JSON (what `JSONDecoder` accepts, nothing more): one value with optional
/// whitespace around it, strings of valid UTF-8 with the standard escapes (`\uXXXX` surrogate pairs joined; a lone
/// surrogate is refused), numbers by the JSON grammar and finite; duplicate keys keep the last value. Nesting
/// deeper than `maximumDepth` is refused, so no answer can exhaust the stack. Anything else is nil, never a trap.
struct JSONParser {
  /// Arrays and objects nested deeper than this are refused (JSONDecoder's own limit).
  static let maximumDepth = 512

  private let bytes: UnsafeBufferPointer<UInt8>
  private var index = 0

  private init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  /// The value `bytes` hold, or nil when they are not exactly one JSON value.
  static func parse(_ bytes: [UInt8]) -> JSONValue? {
    bytes.withUnsafeBufferPointer { buffer in
      var parser = JSONParser(buffer)
      guard let value = parser.value(depth: 0) else { return nil }
      parser.skipWhitespace()
      return parser.index == buffer.count ? value : nil
    }
  }

  private mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  private mutating func value(depth: Int) -> JSONValue? {
    skipWhitespace()
    guard index < bytes.count else { return nil }
    switch bytes[index] {
    case UInt8(ascii: "{"): return depth < Self.maximumDepth ? object(depth: depth + 1) : nil
    case UInt8(ascii: "["): return depth < Self.maximumDepth ? array(depth: depth + 1) : nil
    case UInt8(ascii: "\""): return string().map(JSONValue.string)
    case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
    case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
    case UInt8(ascii: "n"): return literal("null") ? .null : nil
    default: return number().map(JSONValue.number)
    }
  }

  private mutating func literal(_ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    guard bytes.count - index >= count else { return false }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
    index += count
    return true
  }

  private mutating func object(depth: Int) -> JSONValue? {
    index += 1  // {
    var members: [String: JSONValue] = [:]
    if consume(UInt8(ascii: "}")) { return .object(members) }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
      index += 1
      guard let member = value(depth: depth) else { return nil }
      members[key] = member
      guard let closed = afterItem(closing: UInt8(ascii: "}")) else { return nil }
      if closed { return .object(members) }
    }
  }

  private mutating func array(depth: Int) -> JSONValue? {
    index += 1  // [
    var elements: [JSONValue] = []
    if consume(UInt8(ascii: "]")) { return .array(elements) }
    while true {
      guard let element = value(depth: depth) else { return nil }
      elements.append(element)
      guard let closed = afterItem(closing: UInt8(ascii: "]")) else { return nil }
      if closed { return .array(elements) }
    }
  }

  /// After whitespace, consumes `byte` if it comes next.
  private mutating func consume(_ byte: UInt8) -> Bool {
    skipWhitespace()
    guard index < bytes.count, bytes[index] == byte else { return false }
    index += 1
    return true
  }

  /// After a member or element: true at `closing`, false after a comma (either consumed), nil for anything else.
  private mutating func afterItem(closing: UInt8) -> Bool? {
    if consume(UInt8(ascii: ",")) { return false }
    return consume(closing) ? true : nil
  }

  /// A string starting at the opening quote; the bytes between escapes are checked as UTF-8.
  private mutating func string() -> String? {
    index += 1  // "
    let start = index
    // The common case: no escapes, one validated copy.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        index += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { return nil }
      index += 1
    }
    var utf8 = Array(bytes[start..<index])
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        return String(validating: utf8, as: UTF8.self)
      case UInt8(ascii: "\\"):
        index += 1
        guard index < bytes.count else { return nil }
        let escaped = bytes[index]
        index += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
          guard let scalar = unicodeEscape() else { return nil }
          utf8.append(contentsOf: String(Character(scalar)).utf8)
        default: return nil
        }
      default:
        if byte < 0x20 { return nil }
        utf8.append(byte)
        index += 1
      }
    }
    return nil
  }

  /// The scalar of `\uXXXX` (the `\u` already read), joining a surrogate pair; nil for a lone surrogate.
  private mutating func unicodeEscape() -> Unicode.Scalar? {
    guard let high = hex4() else { return nil }
    switch high {
    case 0xD800...0xDBFF:
      guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
      else { return nil }
      index += 2
      guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
      return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    case 0xDC00...0xDFFF:
      return nil
    default:
      return Unicode.Scalar(high)
    }
  }

  private mutating func hex4() -> UInt32? {
    guard bytes.count - index >= 4 else { return nil }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: return nil
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  /// A number by the JSON grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, finite.
  private mutating func number() -> Double? {
    let start = index
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count else { return nil }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else {
      guard digits() > 0 else { return nil }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard digits() > 0 else { return nil }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard digits() > 0 else { return nil }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    guard let number = Double(text), number.isFinite else { return nil }
    return number
  }

  private mutating func digits() -> Int {
    let start = index
    while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
    return index - start
  }
}
