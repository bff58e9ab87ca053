import Foundation

/// Counts attempts, retries and throttled answers per API action.
public actor ClientMetrics {
  /// Counters of one action.
  public struct Counters: Sendable, Equatable {
    /// Requests sent (every attempt).
    public var attempts = 0
    /// Attempts that were retries.
    public var retries = 0
    /// Answers with a throttling code.
    public var throttled = 0
    /// Calls that finally failed.
    public var failures = 0

    /// Zeroed counters.
    public init() {}
  }

  private var byAction: [String: Counters] = [:]
  private var results: [String: [String: Int]] = [:]

  /// The result code of an attempt the server accepted (HTTP 2xx).
  public static let successCode = "OK"

  /// Creates empty metrics.
  public init() {}

  /// Records one attempt of `action` (`retry` when it is not the first).
  public func recordAttempt(action: String, retry: Bool) {
    byAction[action, default: Counters()].attempts += 1
    if retry { byAction[action, default: Counters()].retries += 1 }
  }

  /// Records a throttled answer for `action`.
  public func recordThrottled(action: String) {
    byAction[action, default: Counters()].throttled += 1
  }

  /// Records a call of `action` that failed after all attempts.
  public func recordFailure(action: String) {
    byAction[action, default: Counters()].failures += 1
  }

  /// Records the result of one attempt of `action`: `successCode`, the API error code, or the failure kind
  /// (`transport`, `invalidResponse`...) when the server gave no code.
  public func recordResult(action: String, code: String) {
    results[action, default: [:]][code, default: 0] += 1
  }

  /// Attempts per action and result code.
  public func resultSnapshot() -> [String: [String: Int]] { results }

  /// Counters per action.
  public func snapshot() -> [String: Counters] { byAction }

  /// Adds everything `other` counted (one run's sessions summed, e.g. one per account and region).
  public func absorb(_ other: ClientMetrics) async {
    for (action, counters) in await other.snapshot() {
      byAction[action, default: Counters()].attempts += counters.attempts
      byAction[action, default: Counters()].retries += counters.retries
      byAction[action, default: Counters()].throttled += counters.throttled
      byAction[action, default: Counters()].failures += counters.failures
    }
    for (action, codes) in await other.resultSnapshot() {
      for (code, count) in codes { results[action, default: [:]][code, default: 0] += count }
    }
  }

  /// Counters summed over all actions.
  public func totals() -> Counters {
    byAction.values.reduce(into: Counters()) {
      $0.attempts += $1.attempts
      $0.retries += $1.retries
      $0.throttled += $1.throttled
      $0.failures += $1.failures
    }
  }
}
