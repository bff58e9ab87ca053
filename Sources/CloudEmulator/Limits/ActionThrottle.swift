import struct AlibabaCloud.ApiAction
import Foundation

/// Sliding-window rate limits per operation, from the published limits of the action table (`ApiAction`).
struct ActionThrottle: Sendable {
  /// Published limits of `row`; unpublished operations (and unknown ones) get 100 per second.
  static func defaultLimit(for row: ApiAction?) -> RateLimitOverride {
    guard let limit = row?.publishedLimit else {
      return RateLimitOverride(count: 100, period: .seconds(1))
    }
    return RateLimitOverride(count: limit.requests, period: .seconds(limit.seconds))
  }

  private let override: RateLimitOverride?
  private var accepted: [String: [Date]] = [:]

  init(override: RateLimitOverride?) {
    self.override = override
  }

  /// The limit of `row`: the override (`--rate-limit`) for writes, else the published one.
  func limit(for row: ApiAction) -> RateLimitOverride {
    if let override, row.isWrite { return override }
    return ActionThrottle.defaultLimit(for: row)
  }

  /// Admits a request to `row`, or returns how many milliseconds until one is admitted.
  mutating func admit(_ row: ApiAction, now: Date) -> Int? {
    // One window per row of the action table, keyed as the client keys its limiter (`nlb:ListListeners`).
    admit(row.limiterKey, limit: limit(for: row), now: now)
  }

  private mutating func admit(_ action: String, limit: RateLimitOverride, now: Date) -> Int? {
    let period = TimeFormats.seconds(limit.period)
    var times = accepted[action, default: []]
    times.removeAll { now.timeIntervalSince($0) >= period }
    if times.count >= limit.count {
      let oldest = times.first ?? now
      accepted[action] = times
      return max(1, Int(((period - now.timeIntervalSince(oldest)) * 1000).rounded(.up)))
    }
    times.append(now)
    accepted[action] = times
    return nil
  }
}
