import Foundation

/// Exponential backoff with full jitter, capped in attempts and total time.
public struct RetryPolicy: Sendable, Equatable {
  /// Attempts in total, including the first (1 = never retry).
  public var maxAttempts: Int
  /// Backoff before the first retry (before jitter).
  public var baseDelay: Duration
  /// Upper bound of one backoff.
  public var maxDelay: Duration
  /// No retry is started once this much time has passed since the first attempt.
  public var totalTimeCap: Duration

  /// Shortest wait before retrying a "resource busy" answer (`IncorrectStatus.Listener`,
  /// `ResourceInConfiguring.Listener`, `Conflict.Lock`, `IdempotenceProcessing`): a listener
  /// change takes seconds to apply, so retrying those within milliseconds only burns attempts.
  public var busyMinimumDelay: Duration

  /// Creates a policy (defaults: 8 attempts, 200 ms base, 10 s max, 5 min total, busy >= 500 ms).
  public init(
    maxAttempts: Int = 8, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10),
    totalTimeCap: Duration = .seconds(300), busyMinimumDelay: Duration = .milliseconds(500)
  ) {
    self.maxAttempts = max(1, maxAttempts)
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.totalTimeCap = totalTimeCap
    self.busyMinimumDelay = busyMinimumDelay
  }

  /// Codes meaning "the resource is busy with an earlier change" for some action, retried with
  /// `busyMinimumDelay` and equal jitter (half fixed, half random); per action in `ApiAction`.
  public static var busyCodes: Set<String> { ApiAction.anyBusyCodes }

  /// Never retries.
  public static let none = RetryPolicy(maxAttempts: 1)

  /// The delay before retry number `retry` (1-based): random in [0, min(maxDelay, base * 2^(retry-1))],
  /// but at least `retryAfterMilliseconds` when the server asked for it.
  /// For a busy resource (`busy`), the delay is `max(busyMinimumDelay, ceiling * (0.5 + random / 2))`.
  /// When the rate limiter paces the retry (`paced`: a throttle it took for arrivals bunched at a known limit), the
  /// server's `retryAfterMilliseconds` is the whole delay, without backoff: the server said when its window has
  /// room (a backoff of up to 200 ms left that window idle after most such throttles in `bench/fleet`).
  public func delay(
    forRetry retry: Int, retryAfterMilliseconds: Int?, random: Double, busy: Bool = false, paced: Bool = false
  ) -> Duration {
    if paced, let ms = retryAfterMilliseconds, ms > 0 { return .milliseconds(Int64(ms)) }
    let base = Self.seconds(baseDelay)
    let exponent = Double(max(0, min(retry - 1, 30)))
    let ceiling = min(Self.seconds(maxDelay), base * pow(2, exponent))
    let r = min(max(random, 0), 1)
    var delay = ceiling * r
    if busy {
      delay = max(Self.seconds(busyMinimumDelay), ceiling * (0.5 + r / 2))
    }
    if let ms = retryAfterMilliseconds, ms > 0 {
      delay = max(delay, Double(ms) / 1000)
    }
    return .milliseconds(Int64((delay * 1000).rounded()))
  }

  /// Whether another attempt may start after `attempt` attempts and `elapsed` time, waiting `delay`.
  public func allowsRetry(afterAttempt attempt: Int, elapsed: Duration, delay: Duration) -> Bool {
    attempt < maxAttempts && elapsed + delay <= totalTimeCap
  }

  /// `d` in seconds.
  public static func seconds(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) + Double(atto) / 1e18
  }
}
