import Foundation

/// The clock, randomness, nonces and sleeping the clients use, injected so tests are deterministic.
public struct ClientRuntime: Sendable {
  /// The current wall-clock time (used for `x-acs-date` and credential expiry).
  public var now: @Sendable () -> Date
  /// A fresh unique signature nonce.
  public var nonce: @Sendable () -> String
  /// A uniform random number in [0, 1) for jitter.
  public var random: @Sendable () -> Double
  /// Sleeps for the given duration (throws on cancellation).
  public var sleep: @Sendable (Duration) async throws -> Void

  /// Creates a runtime from its parts.
  public init(
    now: @escaping @Sendable () -> Date, nonce: @escaping @Sendable () -> String,
    random: @escaping @Sendable () -> Double, sleep: @escaping @Sendable (Duration) async throws -> Void
  ) {
    self.now = now
    self.nonce = nonce
    self.random = random
    self.sleep = sleep
  }

  /// The real clock, system randomness and `Task.sleep`; callers (the CLI) opt into it explicitly.
  public static var system: ClientRuntime {
    ClientRuntime(
      now: { Date() },
      nonce: { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") },
      random: { Double.random(in: 0..<1) },
      sleep: { try await Task.sleep(for: $0) })
  }
}
