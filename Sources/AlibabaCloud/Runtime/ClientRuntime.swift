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
      nonce: { randomNonce() },
      random: { Double.random(in: 0..<1) },
      sleep: { try await Task.sleep(for: $0) })
  }

  /// 32 lowercase hex digits of 128 random bits from the system generator (the shape of the official SDKs' nonce: a
  /// UUID's hex without dashes; built from the bytes directly, since formatting a UUID cost 3 % of a fleet run's CPU).
  public static func randomNonce() -> String {
    var generator = SystemRandomNumberGenerator()
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(32)
    for _ in 0..<2 {
      var word = generator.next()
      for _ in 0..<16 {
        out.append(digits[Int(word & 0xF)])
        word >>= 4
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
