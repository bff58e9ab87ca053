import struct AlibabaCloud.ApiAction
import Foundation

/// Sliding-window rate limits per operation, from the published limits of the action table (`ApiAction`).
struct ActionThrottle: Sendable {
  /// Operations that change state; `--rate-limit` replaces their limits.
  static let mutatingActions: Set<String> = Set(ApiAction.writeActionNames)

  /// Published limits (the action table); unpublished operations get 100 per second.
  static func defaultLimit(for action: String) -> RateLimitOverride {
    guard let limit = ApiAction.named(action)?.publishedLimit else {
      return RateLimitOverride(count: 100, period: .seconds(1))
    }
    return RateLimitOverride(count: limit.requests, period: .seconds(limit.seconds))
  }

  private let override: RateLimitOverride?
  private var accepted: [String: [Date]] = [:]

  init(override: RateLimitOverride?) {
    self.override = override
  }

  func limit(for action: String) -> RateLimitOverride {
    if let override, ActionThrottle.mutatingActions.contains(action) { return override }
    return ActionThrottle.defaultLimit(for: action)
  }

  /// Admits the request, or returns how many milliseconds until one is admitted.
  mutating func admit(_ action: String, now: Date) -> Int? {
    let limit = limit(for: action)
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
