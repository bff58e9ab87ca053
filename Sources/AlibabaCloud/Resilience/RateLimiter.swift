import Foundation

/// A client-side limit per API action that also adapts to the server. A known limit (published, or configured in
/// `rateLimits.actions`) is a sliding window: never more than its requests in any window of its period (see
/// `SendWindow`). The fallback for actions without one is only a guess, paced by a token bucket (a burst of one
/// second's worth, then the rate), and the adaptive part finds the real limit. When an answer is
/// throttled anyway, that action is slowed to the rate the server accepted in the second before the throttled
/// request was sent (counted by send time: on a busy machine answers lag their sends by up to a second, and
/// counting by answer time read a rate near zero), then sped up again, slowly at first (the limit was just found:
/// +3 % in the first second) and faster the longer nothing is throttled (+1 % per second squared), until the
/// configured limit is reached. Near a server's hard limit this keeps it busy at the cost of about one throttled
/// answer a second (each refunded and retried), where backing off by a tenth wasted a tenth of the time.
///
/// A throttle under a known limit is taken for arrivals bunched up on the way, and only refunded and retried, when
/// the client's window was full or the server had accepted the limit's requests within `nearTheLimit` periods before
/// the throttled request left (on a busy machine sends arrive unevenly: slowing down for those throttles cost one
/// account in five half its write rate for seconds).
///
/// Under a known limit a throttle keeps at least `knownLimitKeep` of the rate in force (a real lower limit is found
/// in a few seconds of throttles; a burst's answers alone once cut an account's write rate from 20 to 9 per second).
///
/// A slowed rate books at most `adaptiveHorizon` ahead: a caller that would wait longer books nothing and looks
/// again after the horizon, so callers queued behind a slowdown go at the rate in force when their turn comes,
/// not at the rate of the moment they queued (100 callers queued at 2/s kept 2/s for 50 s after the rate had
/// grown back).
public actor RateLimiter {
  private struct Bucket {
    var limit: RateLimit
    /// The known limit's window (nil: the fallback guess, paced by `tokens`).
    var window: SendWindow?
    var tokens: Double
    var updated: Date
    /// The adaptive rate in effect after the last throttle (nil = none).
    var adaptiveBase: Double?
    var adaptiveSince: Date?
    var adaptiveTokens: Double = 0
    var recentSuccesses: [Date] = []
  }

  private var limits: [String: RateLimit]
  private let fallback: RateLimit
  private let adaptive: Bool
  private let runtime: ClientRuntime
  private var buckets: [String: Bucket] = [:]
  /// Lowest rate (per second) the adaptive logic will go down to.
  private let floorRate = 0.5
  /// Growth of the adaptive rate without throttling: `1 + linear * t + quadratic * t * t` after t seconds.
  private let linearGrowth = 0.03
  private let quadraticGrowth = 0.01
  /// Share of the current rate kept after a throttle when nothing was accepted in the last second.
  private let keepCurrent = 0.9
  /// A throttled answer is taken for bunched arrivals when the server accepted a known limit's requests within this
  /// many of its periods before the throttled request left (a server that allows less than 80 % of it is adapted to).
  static let nearTheLimit = 1.25
  /// Share of a known limit's rate (or of the slowed rate) a throttle keeps at least.
  static let knownLimitKeep = 0.75
  /// How far ahead (seconds) a caller may book on a slowed rate before it looks again.
  public static let adaptiveHorizon = 0.5
  /// How long successes are remembered (seconds): a throttled answer can come a second or more after its send.
  private let successMemory = 4.0

  /// Creates a limiter with `limits` per action (missing ones use `fallback`).
  public init(
    limits: [String: RateLimit] = RateLimit.publishedDefaults, fallback: RateLimit = RateLimit.fallbackDefault,
    adaptive: Bool = true, runtime: ClientRuntime
  ) {
    self.limits = limits
    self.fallback = fallback
    self.adaptive = adaptive
    self.runtime = runtime
  }

  /// Replaces the limit of one action.
  public func setLimit(_ limit: RateLimit, for action: String) {
    limits[action] = limit
    buckets[action] = nil
  }

  /// The configured limit of `action`.
  public func limit(for action: String) -> RateLimit { limits[action] ?? fallback }

  /// The rate (per second) currently enforced for `action`, adaptive slow-down included.
  public func currentRate(for action: String) -> Double {
    let now = runtime.now()
    guard var bucket = buckets[action] else { return limit(for: action).perSecond }
    let rate = effectiveAdaptiveRate(&bucket, now: now) ?? bucket.limit.perSecond
    buckets[action] = bucket
    return rate
  }

  /// Waits until `action` may be sent.
  public func acquire(_ action: String) async throws {
    while true {
      let (wait, booked) = reserve(action)
      if wait > 0.000_5 {
        try await runtime.sleep(.milliseconds(Int64((wait * 1000).rounded(.up))))
      }
      if booked { return }
    }
  }

  /// Records an answer for `action` that was not throttled (success or a non-throttling API
  /// error); `sentAt` is when that request was sent (default: now).
  public func recordSuccess(_ action: String, sentAt: Date? = nil) {
    let now = runtime.now()
    guard var bucket = buckets[action] else { return }
    let sent = sentAt ?? now
    bucket.recentSuccesses.append(sent)
    bucket.recentSuccesses.removeAll { now.timeIntervalSince($0) > successMemory }
    // Answers of a concurrent burst arrive in any order: a request sent before the slow-down that
    // is answered after it shows the server accepted more than was counted; raise the rate to
    // everything accepted from the second before the slow-down.
    if let base = bucket.adaptiveBase, let since = bucket.adaptiveSince, sent <= since {
      let accepted = bucket.recentSuccesses.filter { $0 <= since && since.timeIntervalSince($0) <= 1 }.count
      let observed = Double(accepted)
      if observed > base {
        bucket.adaptiveBase = min(observed, Self.adaptiveCeiling(bucket.limit))
      }
    }
    buckets[action] = bucket
  }

  /// Records a throttled answer to the request sent at `sentAt` (default: now): refunds the token (the server
  /// did not spend capacity on it) and, when adaptive, slows `action` down. Returns true when the throttle is taken
  /// for arrivals bunched at a known limit (nothing slowed down: the limiter paces the retry).
  @discardableResult
  public func recordThrottled(_ action: String, sentAt: Date? = nil) -> Bool {
    let now = runtime.now()
    let sent = min(sentAt ?? now, now)
    var bucket = buckets[action] ?? makeBucket(action, now: now)
    refill(&bucket, now: now)
    // A known limit whose window was full when the request left (or is now) was kept: the answer came from
    // arrivals bunched up on the way (a send that waited behind others on a busy machine), so only the send is
    // given back and retried, and the rate stays. Throttled below the limit, the server allows less than it: adapt.
    // The same when the server accepted nearly the limit in the period before the request left: arrivals
    // bunched up there (a second's sends arriving within less than a second), which slowing down cannot cure.
    let atLimit =
      bucket.window.map { $0.isFull(now: sent) || $0.isFull(now: now) } ?? false
      || acceptedNearTheLimit(bucket, before: sent)
    if bucket.window != nil {
      bucket.window?.refund(now: now)
      // Bunched arrivals: spread the sends out (see `SendWindow`).
      if atLimit { bucket.window?.paceEvenly() }
    } else {
      bucket.tokens = min(Double(bucket.limit.burst), bucket.tokens + 1)
    }
    if adaptive, !atLimit {
      let current = effectiveAdaptiveRate(&bucket, now: now)
      // At most one decrease per second: concurrent throttles report the same overload.
      let recentlyDecreased = bucket.adaptiveSince.map { now.timeIntervalSince($0) < 1 } ?? false
      if !recentlyDecreased {
        let accepted = Double(bucket.recentSuccesses.filter { $0 <= sent && sent.timeIntervalSince($0) <= 1 }.count)
        var newRate: Double
        if accepted >= 1 {
          newRate = min(accepted, current ?? .infinity)
          // A known limit is cut by at most a quarter per throttle: what a burst's answers show accepted in one
          // second can be far below what the server allows, and a real lower limit is reached in a few seconds.
          if bucket.window != nil {
            let floor = Self.knownLimitKeep * (current ?? bucket.limit.perSecond)
            newRate = min(current ?? .infinity, max(newRate, floor))
          }
        } else if let current {
          newRate = current * keepCurrent
        } else {
          newRate = bucket.limit.perSecond * 0.5
        }
        bucket.adaptiveBase = max(floorRate, min(newRate, Self.adaptiveCeiling(bucket.limit)))
        bucket.adaptiveSince = now
        bucket.adaptiveTokens = min(bucket.adaptiveTokens, 0)
      }
    }
    buckets[action] = bucket
    return atLimit
  }

  /// True when the server accepted a known limit's requests (counted by send time) within `nearTheLimit` periods
  /// before `sent`, for a period short enough for the successes remembered. The lookback is longer than the period
  /// because sends booked at once (a window's burst) arrive spread out: the next burst, booked a period later,
  /// meets the end of the last one at the server.
  private func acceptedNearTheLimit(_ bucket: Bucket, before sent: Date) -> Bool {
    guard let window = bucket.window, window.period * Self.nearTheLimit <= successMemory else { return false }
    let lookback = window.period * Self.nearTheLimit
    let accepted = bucket.recentSuccesses.filter { $0 <= sent && sent.timeIntervalSince($0) <= lookback }.count
    return accepted >= window.requests
  }

  private func makeBucket(_ action: String, now: Date) -> Bucket {
    let limit = limit(for: action)
    let known = limits[action] != nil
    return Bucket(limit: limit, window: known ? SendWindow(limit) : nil, tokens: Double(limit.burst), updated: now)
  }

  /// The wait before `action` may be sent, and whether the send is booked (false: nothing was booked, because a
  /// slowed rate would make it wait past `adaptiveHorizon`; wait that long and look again).
  private func reserve(_ action: String) -> (wait: Double, booked: Bool) {
    let now = runtime.now()
    var bucket = buckets[action] ?? makeBucket(action, now: now)
    refill(&bucket, now: now)
    var earliest = now
    if let rate = effectiveAdaptiveRate(&bucket, now: now) {
      if (1 - bucket.adaptiveTokens) / rate > Self.adaptiveHorizon {
        buckets[action] = bucket
        return (Self.adaptiveHorizon, false)
      }
      bucket.adaptiveTokens -= 1
      if bucket.adaptiveTokens < 0 {
        earliest = now.addingTimeInterval(-bucket.adaptiveTokens / rate)
      }
    }
    // The window records when the request will really leave, after any adaptive wait.
    var wait = max(0, earliest.timeIntervalSince(now))
    if bucket.window != nil {
      wait = max(wait, bucket.window?.reserve(now: earliest).timeIntervalSince(now) ?? 0)
    } else {
      bucket.tokens -= 1
      if bucket.tokens < 0 { wait = max(wait, -bucket.tokens / bucket.limit.perSecond) }
    }
    buckets[action] = bucket
    return (wait, true)
  }

  private func refill(_ bucket: inout Bucket, now: Date) {
    let elapsed = max(0, now.timeIntervalSince(bucket.updated))
    if bucket.window == nil {
      bucket.tokens = min(Double(bucket.limit.burst), bucket.tokens + elapsed * bucket.limit.perSecond)
    }
    if let rate = effectiveAdaptiveRate(&bucket, now: now) {
      // Once slowed, idle capacity is kept for one second of the adaptive rate, so listeners whose requests
      // arrive unevenly still use all of what the server accepts (a tenth of a second measured 5 % slower in
      // `bench/rotation`).
      bucket.adaptiveTokens = min(max(1, rate), bucket.adaptiveTokens + elapsed * rate)
    }
    bucket.updated = now
  }

  /// The rate at which the adaptive slow-down is lifted: the window allows bursts of its whole
  /// limit, so a long-period limit (200/60 s) still permits short runs far above its average.
  private static func adaptiveCeiling(_ limit: RateLimit) -> Double {
    max(limit.perSecond, Double(limit.burst))
  }

  /// The adaptive rate now, or nil when it has grown back to the configured limit.
  private func effectiveAdaptiveRate(_ bucket: inout Bucket, now: Date) -> Double? {
    guard let base = bucket.adaptiveBase, let since = bucket.adaptiveSince else { return nil }
    let t = max(0, now.timeIntervalSince(since))
    let rate = base * (1 + linearGrowth * t + quadraticGrowth * t * t)
    if rate >= Self.adaptiveCeiling(bucket.limit) {
      bucket.adaptiveBase = nil
      bucket.adaptiveSince = nil
      return nil
    }
    return rate
  }
}
