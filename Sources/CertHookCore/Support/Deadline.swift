import Foundation

/// Runs work under a hard time limit (e.g. lego kills hooks after 2 minutes).
public enum Deadline {
  /// Runs `body`; when it takes longer than `seconds`, cancels it and throws `CertHookError.timeout`.
  ///
  /// Cancellation never leaves a listener without a certificate: dissociation only follows a verified association.
  public static func run<T: Sendable>(
    seconds: Double, what: String, _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next() else {
        throw CertHookError.timeout("\(what) did not finish")
      }
      guard let value = first else {
        throw CertHookError.timeout("\(what) did not finish within \(Int(seconds)) s")
      }
      return value
    }
  }
}
