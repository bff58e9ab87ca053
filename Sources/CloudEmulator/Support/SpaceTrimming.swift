import Foundation

extension StringProtocol {
  /// The text without leading and trailing `CharacterSet.whitespaces`, as `trimmingCharacters(in: .whitespaces)`
  /// returns it. Text that starts and ends with a visible ASCII character (every signed header, every field of an
  /// `Authorization` header) is returned without a Foundation call: that call cost the emulator a tenth of its CPU
  /// in `bench/fleet`, four times per request.
  var trimmedOfSpaces: String {
    let text = String(self)
    guard let first = text.utf8.first, let last = text.utf8.last else { return "" }
    if Self.isVisibleASCII(first), Self.isVisibleASCII(last) { return text }
    return text.trimmingCharacters(in: .whitespaces)
  }

  private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }
}
