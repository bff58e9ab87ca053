import Logging

/// The CLI's logger: stderr, its level from `-v` (the libraries log through the logger they are given).
enum StandardErrorLogger {
  /// A stderr logger: 0 warnings, 1 info (credential source), 2 debug (requests), 3+ trace.
  static func make(verbosity: Int) -> Logger {
    var logger = Logger(label: "certhook") { label in StreamLogHandler.standardError(label: label) }
    switch verbosity {
    case ..<1: logger.logLevel = .warning
    case 1: logger.logLevel = .info
    case 2: logger.logLevel = .debug
    default: logger.logLevel = .trace
    }
    return logger
  }
}
