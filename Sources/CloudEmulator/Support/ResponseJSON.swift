import Foundation

/// A JSON value whose object keys keep their insertion order, serialized by hand so that API
/// responses look like the real service's.
enum ResponseJSON: Sendable, Equatable {
  case string(String)
  case int(Int64)
  case bool(Bool)
  case null
  case array([ResponseJSON])
  case object([(String, ResponseJSON)])

  static func == (lhs: ResponseJSON, rhs: ResponseJSON) -> Bool {
    lhs.serialized() == rhs.serialized()
  }

  static func int(_ v: Int) -> ResponseJSON { .int(Int64(v)) }

  /// Compact JSON text.
  func serialized() -> String {
    var out = ""
    write(into: &out)
    return out
  }

  private func write(into out: inout String) {
    switch self {
    case .string(let s): ResponseJSON.writeString(s, into: &out)
    case .int(let i): out += String(i)
    case .bool(let b): out += b ? "true" : "false"
    case .null: out += "null"
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.write(into: &out)
      }
      out += "]"
    case .object(let fields):
      out += "{"
      for (i, (key, value)) in fields.enumerated() {
        if i > 0 { out += "," }
        ResponseJSON.writeString(key, into: &out)
        out += ":"
        value.write(into: &out)
      }
      out += "}"
    }
  }

  private static func writeString(_ s: String, into out: inout String) {
    out += "\""
    // Most strings (IDs, names, times) need no escape: appended whole, not scalar by scalar.
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
      out += s
      out += "\""
      return
    }
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}
