import AlibabaCloud
import Foundation

/// When to look at an asynchronous job: learned from how long this run's finished jobs took on the server
/// (`ModifyTime - CreateTime`), so a change is followed up when its job is likely done rather than after a fixed
/// fraction of the poll interval.
///
/// Rules: with nothing learned yet, the first look comes half an interval after the change (the old fixed rule);
/// once jobs have finished, the first look comes just after the slower quarter of the recent ones would have
/// (their 75th percentile by default, plus 5 % and 15 ms), and later looks every half of that; every wait stays
/// between 20 ms and the configured interval, so the number of polls per job stays about one and never exceeds the
/// fixed rule's by more than a few.
public actor JobPollPacer {
  /// The waits for one job: before the first look, and between later looks.
  public struct Waits: Equatable, Sendable {
    /// Before the first look.
    public var first: Duration
    /// Between later looks.
    public var then: Duration
  }

  /// Jobs remembered (the most recent ones).
  public static let window = 32
  private var durations: [Double] = []

  /// Nothing learned yet.
  public init() {}

  /// The waits for the next job, polling at most every `interval`; the first look comes when the `quantile` of the
  /// recent jobs would have been done.
  public func waits(interval: Duration, quantile: Double = 0.75) -> Waits {
    Self.waits(learned: durations, interval: interval, quantile: quantile)
  }

  /// How many finished jobs the rule has learned from (at most `window`).
  public var learnedCount: Int { durations.count }

  /// Learns from a finished job's server-side timestamps (milliseconds since 1970; ignored when missing or absurd).
  public func record(createMilliseconds: Int64?, modifyMilliseconds: Int64?) {
    guard let created = createMilliseconds, let modified = modifyMilliseconds else { return }
    record(seconds: Double(modified - created) / 1000)
  }

  /// Learns from how long a change took, measured by the caller (ignored when absurd).
  public func record(seconds: Double) {
    guard seconds >= 0, seconds <= 3600 else { return }
    durations.append(seconds)
    if durations.count > Self.window { durations.removeFirst(durations.count - Self.window) }
  }

  /// The pure rule (see the type's documentation).
  public static func waits(learned: [Double], interval: Duration, quantile: Double = 0.75) -> Waits {
    let ceiling = max(0.02, RetryPolicy.seconds(interval))
    guard !learned.isEmpty else {
      return Waits(first: interval / 2, then: interval)
    }
    let sorted = learned.sorted()
    let rank = Int((Double(sorted.count) * min(max(quantile, 0), 1)).rounded(.down))
    let typical = sorted[min(sorted.count - 1, rank)]
    let first = min(ceiling, max(0.02, typical * 1.05 + 0.015))
    let then = min(ceiling, max(0.02, typical / 2))
    return Waits(first: .milliseconds(Int64((first * 1000).rounded())), then: .milliseconds(Int64((then * 1000).rounded())))
  }
}
