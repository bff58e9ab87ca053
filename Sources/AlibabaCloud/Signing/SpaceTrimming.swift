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
    guard let first = scalars.firstIndex(where: { !isSpace($0) }),
      let last = scalars.lastIndex(where: { !isSpace($0) })
    else { return "" }
    var kept = String.UnicodeScalarView()
    kept.append(contentsOf: scalars[first...last])
    return String(kept)
  }
}
