import Foundation

/// Limits that shape the HTTP clients of a session: a cap on API writes per second (never above the published
/// per-action limits) and the longest one request may take. Each has a documented range; a value outside it is
/// refused where it is read, so no arithmetic below can overflow.
public struct SessionTuning: Sendable, Equatable {
  /// API actions that change something; `writesPerSecond` caps each of them.
  public static var writeActions: [String] { ApiAction.writeActionNames }
  /// Accepted `writesPerSecond` values: one write per 100 s up to 1,000 per second.
  public static let writesPerSecondRange: ClosedRange<Double> = 0.01...1000
  /// Accepted request timeouts, in seconds: 10 ms up to one hour.
  public static let requestTimeoutRange: ClosedRange<Double> = 0.01...3600

  /// Maximum API writes per second per action; nil keeps the published limits.
  public var writesPerSecond: Double?
  /// Longest a single HTTP request may take, in seconds; nil keeps the transport's default.
  public var requestTimeout: Double?
  /// Limits the account really has for some actions (raised quotas, an emulator): they replace the published
  /// ones, also upwards, and win over `writesPerSecond`.
  public var actionLimits: [String: RateLimit]

  /// Creates tuning; values outside the documented ranges are clamped into them (callers validate first).
  public init(writesPerSecond: Double? = nil, requestTimeout: Double? = nil, actionLimits: [String: RateLimit] = [:]) {
    self.writesPerSecond = writesPerSecond.map { Self.clamp($0, Self.writesPerSecondRange) }
    self.requestTimeout = requestTimeout.map { Self.clamp($0, Self.requestTimeoutRange) }
    self.actionLimits = actionLimits
  }

  /// The per-action limits to pass to `ClientConfiguration`: `writesPerSecond` never above the published ones,
  /// then `actionLimits` as given.
  public var rateLimits: [String: RateLimit] {
    writeCaps.merging(actionLimits) { _, given in given }
  }

  private var writeCaps: [String: RateLimit] {
    guard let writesPerSecond else { return [:] }
    var limits: [String: RateLimit] = [:]
    // Every product's writes, by limiter key (`nlb:UpdateListenerAttribute` has its own bucket beside ALB's).
    for key in ApiAction.all.filter(\.isWrite).map(\.limiterKey) {
      // Express fractional rates over a longer period: 0.5/s becomes 1 per 2 s.
      let period = writesPerSecond >= 1 ? 1.0 : 1.0 / writesPerSecond
      let requests = max(1, Int((writesPerSecond * period).rounded(.down)))
      let capped = RateLimit(requests: requests, per: .milliseconds(Int64(period * 1000)))
      if let published = RateLimit.publishedDefaults[key], published.perSecond < capped.perSecond { continue }
      limits[key] = capped
    }
    return limits
  }

  /// Transport timeouts: the request timeout bounds the read and the whole exchange (connect at most 5 s).
  public var timeouts: AsyncHTTPClientTransport.Timeouts {
    guard let requestTimeout else { return AsyncHTTPClientTransport.Timeouts() }
    let limit = Duration.milliseconds(Int64(requestTimeout * 1000))
    return AsyncHTTPClientTransport.Timeouts(connect: min(.seconds(5), limit), read: limit, overall: limit)
  }

  /// `value` when it lies in `range`, else the message naming `name` and the range (for a usage error).
  public static func rangeProblem(_ value: Double, _ range: ClosedRange<Double>, unit: String = "") -> String? {
    guard value.isFinite, range.contains(value) else {
      return "must be between \(text(range.lowerBound)) and \(text(range.upperBound))\(unit)"
        + (value.isFinite ? ", got \(text(value))" : ", got \(value)")
    }
    return nil
  }

  private static func clamp(_ value: Double, _ range: ClosedRange<Double>) -> Double {
    guard !value.isNaN else { return range.lowerBound }
    return min(max(value, range.lowerBound), range.upperBound)
  }

  private static func text(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
  }
}
