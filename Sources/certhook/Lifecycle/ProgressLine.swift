import CertHookCore
import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A single self-overwriting progress line on standard error, shown only when standard error is a terminal.
final class ProgressLine: Sendable {
  private let enabled: Bool
  /// Whether the line is on screen; its lock also keeps two redraws from interleaving.
  private let shown = NIOLockedValueBox(false)

  /// A progress line that draws only when `enabled` (default: stderr is a terminal).
  init(enabled: Bool = isatty(2) == 1) {
    self.enabled = enabled
  }

  /// The callback for `RunnerContext.progress`, or nil when not on a terminal.
  var callback: (@Sendable (ExecutionProgress) -> Void)? {
    guard enabled else { return nil }
    return { [self] progress in self.update(progress) }
  }

  /// Redraws the line for one finished listener.
  func update(_ progress: ExecutionProgress) {
    shown.withLockedValue { shown in
      let text = "\r\u{1B}[2K[\(progress.completed)/\(progress.total)] \(progress.listenerId): \(progress.outcome.rawValue)"
      FileHandle.standardError.write(Data(text.utf8))
      shown = true
    }
  }

  /// Clears the line (call before printing the summary).
  func finish() {
    shown.withLockedValue { shown in
      guard shown else { return }
      FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
      shown = false
    }
  }
}
