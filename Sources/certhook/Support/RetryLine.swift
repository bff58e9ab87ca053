import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `retrying (n/N): ...` on standard error, only when it is a terminal (scripts read exit codes and the final
/// error; a person watching wants to know why nothing seems to happen).
enum RetryLine {
  /// The notice printer for a terminal, or nil when standard error is not one.
  static var terminal: (@Sendable (String) -> Void)? {
    guard isatty(2) == 1 else { return nil }
    return { notice in FileHandle.standardError.write(Data(line(notice).utf8)) }
  }

  /// The line for one notice's text (clears a progress line first).
  static func line(_ notice: String) -> String {
    "\r\u{1B}[2K" + notice + "\n"
  }
}
