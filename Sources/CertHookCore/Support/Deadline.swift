import Foundation

/// Runs work under a hard time limit (e.g. lego kills hooks after 2 minutes).
public enum Deadline {
  /// Runs `body`; when it takes longer than `seconds`, cancels it and throws `CertHookError.timeout` without
  /// waiting for it to wind down (work that ignores cancellation is abandoned).
  ///
  /// Cancellation never leaves a listener without a certificate: dissociation only follows a verified association.
  public static func run<T: Sendable>(
    seconds: Double, what: String, _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let work = Task { try await body() }
    let gate = FirstResult<Result<T, any Error>?>()
    let outcome: Result<T, any Error>? = await withCheckedContinuation { continuation in
      gate.arm(continuation)
      Task { gate.deliver(await work.result) }
      Task {
        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
        gate.deliver(nil)
      }
    }
    guard let outcome else {
      work.cancel()
      throw CertHookError.timeout("\(what) did not finish within \(Int(seconds.rounded(.up))) s")
    }
    return try outcome.get()
  }
}

/// Resumes a continuation with the first value delivered; later deliveries are ignored.
final class FirstResult<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var continuation: CheckedContinuation<Value, Never>?
  private var pending: Value?
  private var done = false

  func arm(_ c: CheckedContinuation<Value, Never>) {
    lock.lock()
    if done, let value = pending {
      pending = nil
      lock.unlock()
      c.resume(returning: value)
      return
    }
    continuation = c
    lock.unlock()
  }

  func deliver(_ value: Value) {
    lock.lock()
    guard !done else {
      lock.unlock()
      return
    }
    done = true
    if let c = continuation {
      continuation = nil
      lock.unlock()
      c.resume(returning: value)
    } else {
      pending = value
      lock.unlock()
    }
  }
}
