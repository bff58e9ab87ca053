import Foundation

/// A decoded JSON value with lenient accessors (numbers from strings, booleans from "true"/"True").
public enum JSONValue: Sendable, Equatable, Decodable {
  /// `null`
  case null
  /// `true` / `false`
  case bool(Bool)
  /// Any number.
  case number(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object.
  case object([String: JSONValue])

  /// Decodes any JSON value.
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? c.decode(Double.self) {
      self = .number(n)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  /// Parses `bytes` as JSON (strict, see `JSONParser`); nil when it is not JSON.
  public static func parse(_ bytes: [UInt8]) -> JSONValue? {
    JSONParser.parse(bytes)
  }

  /// The member `key` of an object (nil otherwise).
  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  /// A string, or a number rendered as an integer string when integral.
  public var string: String? {
    switch self {
    case .string(let s): return s
    case .number(let n):
      if n.rounded() == n, abs(n) < 1e18 { return String(Int64(n)) }
      return String(n)
    case .bool(let b): return b ? "true" : "false"
    default: return nil
    }
  }

  /// An integer from a number or a numeric string.
  public var int: Int? {
    switch self {
    case .number(let n): return n.rounded() == n && abs(n) < 9e18 ? Int(n) : nil
    case .string(let s): return Int(s.trimmingCharacters(in: .whitespaces))
    default: return nil
    }
  }

  /// A boolean from `true`, `"true"`, `"True"` (case-insensitive) or 1/0.
  public var bool: Bool? {
    switch self {
    case .bool(let b): return b
    case .string(let s):
      switch s.lowercased() {
      case "true", "1": return true
      case "false", "0": return false
      default: return nil
      }
    case .number(let n): return n != 0
    default: return nil
    }
  }

  /// The elements of an array; an empty array for null/absent-like values.
  public var array: [JSONValue] {
    switch self {
    case .array(let a): return a
    default: return []
    }
  }
}
