import Foundation

/// The sends of one action in its limit's period: never more than `requests` in any window of `period`, which is
/// what a server counting over a sliding window accepts (a fixed-window server accepts at least as much).
///
/// A token bucket of `requests` refilled at `requests / period` lets twice the limit through in the first period
/// (the full bucket, then the refill), which a sliding-window server throttles; this log cannot.
///
/// The server counts arrivals, not sends: two sends a period apart can arrive less than a period apart when the
/// first one took longer on the way. The window is therefore `jitterAllowance` longer than the period, which
/// costs 2 % of a per-second limit (and nothing measurable of a per-minute one) and spares the throttled answers,
/// each of which costs a retry and the adaptive slowdown.
///
/// Once the server throttled sends at the window's edge (arrivals bunched up: `paceEvenly`), a limit counted over a
/// short period (at most `evenPacingPeriod`) is paced evenly: its sends leave at least a period divided by its
/// requests apart. A whole period's burst, sent at once, arrives spread over tens of milliseconds on a busy machine
/// and meets the next burst at the server's window edge: a fleet run took 500 to 800 throttled answers that way, and
/// 135 to 192 paced evenly. Until then bursts stay (a run that is never throttled loses nothing: pacing 1,000
/// detail reads evenly from the start cost a converged sync two seconds), and a longer period (200 per minute) keeps
/// its burst always: paced evenly, a hook changing ten listeners would wait three seconds.
struct SendWindow: Sendable {
  /// How much later than a period after a send the send `requests` later may go.
  static let jitterAllowance = 0.02
  /// Limits counted over at most this many seconds are paced evenly.
  static let evenPacingPeriod = 2.0
  /// At most this many sends...
  let requests: Int
  /// ...in any window of this many seconds (the period plus the jitter allowance).
  let period: Double
  /// The least time between two sends once paced evenly (zero for a long period: bursts always allowed).
  let gap: Double
  /// Whether sends are paced evenly (`paceEvenly`).
  private(set) var isPacedEvenly = false
  /// Reserved send times, ascending; entries before `head` have left the window.
  private var sends: [Date] = []
  private var head = 0

  init(_ limit: RateLimit) {
    requests = max(1, limit.requests)
    let seconds = max(0.001, RetryPolicy.seconds(limit.period))
    period = seconds + Self.jitterAllowance
    gap = seconds <= Self.evenPacingPeriod ? seconds / Double(requests) : 0
  }

  /// Reserves the earliest send time at or after `now` that keeps the window's promise.
  mutating func reserve(now: Date) -> Date {
    prune(now: now)
    var at = now
    let live = sends.count - head
    if live >= requests {
      at = max(at, sends[sends.count - requests].addingTimeInterval(period))
    }
    if let last = sends.last { at = max(at, last.addingTimeInterval(isPacedEvenly ? gap : 0)) }
    sends.append(at)
    return at
  }

  /// From now on, sends leave at least `gap` apart (the server throttled arrivals bunched at the window's edge).
  mutating func paceEvenly() {
    isPacedEvenly = gap > 0
  }

  /// True when the period before `now` (which may be a past moment: when a throttled request left) held the
  /// limit's sends: a throttled answer then only says that arrivals bunched up at the server on the way, not that
  /// the server allows less than the limit. Sends that left the window are still looked at until compacted.
  func isFull(now: Date) -> Bool {
    let horizon = now.addingTimeInterval(-period)
    return sends.lazy.filter { $0 > horizon && $0 <= now }.count >= requests
  }

  /// Gives back the latest send at or before `now` (the server did not count it: it was throttled).
  mutating func refund(now: Date) {
    guard let index = sends[head...].lastIndex(where: { $0 <= now }) else { return }
    sends.remove(at: index)
  }

  private mutating func prune(now: Date) {
    let horizon = now.addingTimeInterval(-period)
    while head < sends.count, sends[head] <= horizon { head += 1 }
    if head > 256, head * 2 > sends.count {
      sends.removeFirst(head)
      head = 0
    }
  }
}
