import AlibabaCloud
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One-line messages on standard error: `error: ...`, `warning: ...`, coloured only on a terminal; control
/// characters in the message (which may quote the network) are escaped.
enum Diagnostics {
  /// Writes `error: message` (one line: embedded newlines are folded).
  static func error(_ message: String) {
    write(label: "error", colour: .red, message)
  }

  /// Writes `warning: message`.
  static func warning(_ message: String) {
    write(label: "warning", colour: .yellow, message)
  }

  /// Writes a plain line.
  static func line(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  private static func write(label: String, colour: TerminalStyle.Colour, _ message: String) {
    let style = TerminalStyle(isTerminal: isatty(2) == 1, environment: ProcessInfo.processInfo.environment)
    line("\(style.paint(label, colour)): \(rendered(message))")
  }

  /// `message` on one line (embedded newlines folded) with its other control characters escaped (it may quote
  /// the network).
  static func rendered(_ message: String) -> String {
    escaped(message.split(whereSeparator: \.isNewline).joined(separator: " "))
  }

  /// `text` with its control characters escaped (`\u{1b}`): text from the network, safe for a terminal.
  static func escaped(_ text: String) -> String {
    NetworkText.escaped(text)
  }
}
