import AlibabaCloud
import Foundation

/// The API requests of a run as plain counts, for `--metrics-file`: attempts per action and result code, retries
/// per action (only actions that were retried), and every attempt summed. Sessions of one run add up.
public struct APIUsage: Sendable, Equatable {
  /// Attempts per action and result code (`OK`, an API error code or a failure kind).
  public var requests: [String: [String: Int]] = [:]
  /// Retries per action; an action that was never retried is absent.
  public var retries: [String: Int] = [:]
  /// Every attempt of every action.
  public var attempts = 0

  /// No requests.
  public init() {}

  /// What `metrics` counted so far.
  init(_ metrics: ClientMetrics) async {
    requests = await metrics.resultSnapshot()
    retries = await metrics.snapshot().compactMapValues { $0.retries > 0 ? $0.retries : nil }
    attempts = await metrics.totals().attempts
  }

  /// Adds `other`'s counts (one run's sessions, e.g. one per account and region).
  public mutating func add(_ other: APIUsage) {
    for (action, codes) in other.requests {
      for (code, count) in codes { requests[action, default: [:]][code, default: 0] += count }
    }
    for (action, count) in other.retries { retries[action, default: 0] += count }
    attempts += other.attempts
  }
}
