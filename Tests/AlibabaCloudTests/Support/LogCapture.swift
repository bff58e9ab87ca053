import Foundation
import Logging

/// Collects every log line (message + metadata) so tests can search it.
final class LogCapture: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []

  func append(_ line: String) { lock.withLock { lines.append(line) } }
  var all: [String] { lock.withLock { lines } }
  var text: String { all.joined(separator: "\n") }

  func logger(level: Logger.Level = .trace) -> Logger {
    var logger = Logger(label: "test") { _ in CaptureHandler(capture: self) }
    logger.logLevel = level
    return logger
  }
}

struct CaptureHandler: LogHandler {
  let capture: LogCapture
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let merged = metadata.merging(event.metadata ?? [:]) { $1 }
    capture.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
  }
}
