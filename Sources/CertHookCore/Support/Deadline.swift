import Foundation
import NIOConcurrencyHelpers

/// Runs work under a hard time limit (e.g. lego kills hooks after 2 minutes).
///
/// Not a task group: a group waits for every child when it ends, so one stuck HTTP call or job poll that ignores
/// cancellation would hold the caller past its limit; here the race is decided by whichever finishes first.
public enum Deadline {
  /// Runs `body`; when it takes longer than `seconds`, cancels it, gives it `grace` seconds to stop, and throws
  /// `CertHookError.timeout` ("`what` did not finish within N s" plus `hint`) without waiting any longer (work that
  /// ignores cancellation is abandoned).
  ///
  /// Cancellation never leaves a listener without a certificate: dissociation only follows a verified association.
  public static func run<T: Sendable>(
    seconds: Double, grace: Double = 0, what: String, hint: String? = nil,
    _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    // Callers validate their limits; clamp anyway so no input can overflow the arithmetic below.
    let seconds = seconds.isNaN ? 0 : min(max(seconds, 0), 1e9)
    let grace = grace.isNaN ? 0 : min(max(grace, 0), 1e9)
    let work = Task { try await body() }
    if let outcome = await firstOf(work, seconds: seconds) {
      return try outcome.get()
    }
    work.cancel()
    if grace > 0 { _ = await firstOf(work, seconds: grace) }
    let limit = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    throw CertHookError.timeout("\(what) did not finish within \(limit) s" + (hint.map { "; \($0)" } ?? ""))
  }

  /// The work's result, or nil when `seconds` elapse first; never waits for the loser.
  private static func firstOf<T: Sendable>(_ work: Task<T, any Error>, seconds: Double) async
    -> Result<T, any Error>?
  {
    let gate = FirstResult<Result<T, any Error>?>()
    return await withCheckedContinuation { continuation in
      gate.arm(continuation)
      Task { gate.deliver(await work.result) }
      Task {
        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
        gate.deliver(nil)
      }
    }
  }
}

/// Resumes a continuation with the first value delivered; later deliveries are ignored.
final class FirstResult<Value: Sendable>: Sendable {
  private struct State {
    var continuation: CheckedContinuation<Value, Never>?
    var pending: Value?
    var done = false
  }

  private let state = NIOLockedValueBox(State())

  func arm(_ c: CheckedContinuation<Value, Never>) {
    let ready: Value? = state.withLockedValue { s in
      if s.done, let value = s.pending {
        s.pending = nil
        return value
      }
      s.continuation = c
      return nil
    }
    if let ready { c.resume(returning: ready) }
  }

  func deliver(_ value: Value) {
    let waiting: CheckedContinuation<Value, Never>? = state.withLockedValue { s in
      guard !s.done else { return nil }
      s.done = true
      if let c = s.continuation {
        s.continuation = nil
        return c
      }
      s.pending = value
      return nil
    }
    waiting?.resume(returning: value)
  }
}
