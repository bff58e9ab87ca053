import Foundation

/// Reads the API error code and RequestId back out of a failure's one-line text, as `AlibabaCloudError` writes
/// it: `Action: Code: message (http 400, request id R1, ...)`.
enum FailureText {
  /// The error code, when the text names an API action and code.
  static func code(in text: String) -> String? {
    // "UpdateListenerAttribute: IncorrectStatus.Listener: ..." (optionally after "deployment: " or "lsr-1: ").
    let parts = text.components(separatedBy: ": ")
    for (index, part) in parts.enumerated().dropLast() where index + 1 < parts.count {
      guard isActionName(part), let next = parts.dropFirst(index + 1).first, isCode(next) else { continue }
      return next
    }
    // certhook's own findings quote the code in parentheses: "... in this account and region (ResourceNotFound.Listener)".
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "(") {
      let inside = rest[rest.index(after: open)...].prefix { $0 != ")" }
      if inside.contains("."), isCode(String(inside)), inside.first?.isUppercase == true { return String(inside) }
      rest = rest[rest.index(after: open)...]
    }
    return nil
  }

  /// The RequestId, when the text quotes one.
  static func requestId(in text: String) -> String? {
    guard let range = text.range(of: "request id ") else { return nil }
    let id = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    return id.isEmpty ? nil : String(id)
  }

  private static func isActionName(_ s: String) -> Bool {
    guard let first = s.first, first.isUppercase, s.count <= 80 else { return false }
    return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
  }

  private static func isCode(_ s: String) -> Bool {
    guard let first = s.first, first.isLetter, s.count <= 100 else { return false }
    return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
  }
}
