import Foundation

/// Text that came from the network (error messages, codes, listener names) is shown only after its control
/// characters are escaped: no server can move the cursor, rewrite a line or ring a bell on the operator's terminal.
public enum NetworkText {
  /// `text` with every control character (C0, DEL, C1) written as `\n`, `\r`, `\t` or `\u{1b}`.
  public static func escaped(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      guard isControl(scalar) else {
        out.unicodeScalars.append(scalar)
        continue
      }
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default: out += "\\u{" + String(scalar.value, radix: 16) + "}"
      }
    }
    return out
  }

  /// Whether `scalar` is a control character (general category Cc).
  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
  }
}
