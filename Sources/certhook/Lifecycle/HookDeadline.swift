import CertHookCore
import Foundation

/// Runs an operation under a hard time limit: whichever of the operation and the timer finishes first wins.
///
/// On timeout the operation is cancelled and given `grace` seconds to stop, then abandoned (the process is about
/// to exit with 124; changes already applied stay applied and the state cache is replaced atomically).
/// Not a task group: a group waits for every child when it ends, so one stuck HTTP call or job poll that ignores
/// cancellation would hold the hook past lego's kill; here the race is decided by whichever resumes first.
enum HookDeadline {
  /// Returns the operation's value, or throws `CertHookError.timeout` when `seconds` elapse first.
  static func run<T: Sendable>(
    seconds: Double, grace: Double = 2, _ operation: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let work = Task { try await operation() }
    let first = await firstOf(work: work, seconds: seconds)
    switch first {
    case .finished(let result):
      return try result.get()
    case .timedOut:
      work.cancel()
      _ = await firstOf(work: work, seconds: grace)
      throw CertHookError.timeout(
        "the deploy hook ran longer than \(Self.text(seconds)) s (--timeout); changes already applied stay applied, "
          + "the next `certhook sync` finishes the job")
    }
  }

  private enum Outcome<T: Sendable>: Sendable {
    case finished(Result<T, any Error>)
    case timedOut
  }

  /// Waits for the task or the timer, whichever is first, without waiting for the other.
  private static func firstOf<T: Sendable>(work: Task<T, any Error>, seconds: Double) async -> Outcome<T> {
    let once = Once<Outcome<T>>()
    return await withCheckedContinuation { continuation in
      once.set(continuation)
      Task {
        let result = await work.result
        once.resume(.finished(result))
      }
      Task {
        try? await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1000)))
        once.resume(.timedOut)
      }
    }
  }

  private static func text(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
  }
}

/// A continuation resumed at most once, by whichever caller comes first.
private final class Once<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var continuation: CheckedContinuation<T, Never>?
  private var pending: T?
  private var done = false

  func set(_ continuation: CheckedContinuation<T, Never>) {
    lock.lock()
    if let value = pending {
      pending = nil
      done = true
      lock.unlock()
      continuation.resume(returning: value)
      return
    }
    self.continuation = continuation
    lock.unlock()
  }

  func resume(_ value: T) {
    lock.lock()
    guard !done else {
      lock.unlock()
      return
    }
    if let continuation {
      self.continuation = nil
      done = true
      lock.unlock()
      continuation.resume(returning: value)
    } else {
      if pending == nil { pending = value }
      lock.unlock()
    }
  }
}
