import AlibabaCloud

/// Limits from the configuration file that shape the HTTP clients: a cap on API writes per second (on top of
/// the published per-action limits) and the longest one request may take.
struct CloudTuning: Sendable {
  /// API actions that change something; `writesPerSecond` caps each of them.
  static var writeActions: [String] { ApiAction.writeActionNames }

  /// Maximum API writes per second per action; nil keeps the published limits.
  var writesPerSecond: Double?
  /// Longest a single HTTP request may take, in seconds; nil keeps the transport's default.
  var requestTimeout: Double?

  /// The per-action limits to pass to `ClientConfiguration` (never above the published ones).
  var rateLimits: [String: RateLimit] {
    guard let writesPerSecond, writesPerSecond > 0 else { return [:] }
    var limits: [String: RateLimit] = [:]
    for action in Self.writeActions {
      // Express fractional rates over a longer period: 0.5/s becomes 1 per 2 s.
      let period = writesPerSecond >= 1 ? 1.0 : 1.0 / writesPerSecond
      let requests = max(1, Int((writesPerSecond * period).rounded(.down)))
      let capped = RateLimit(requests: requests, per: .milliseconds(Int64(period * 1000)))
      if let published = RateLimit.publishedDefaults[action], published.perSecond < capped.perSecond { continue }
      limits[action] = capped
    }
    return limits
  }

  /// Transport timeouts: the request timeout bounds both the read and the whole exchange.
  var timeouts: AsyncHTTPClientTransport.Timeouts {
    guard let requestTimeout, requestTimeout > 0 else { return AsyncHTTPClientTransport.Timeouts() }
    let limit = Duration.milliseconds(Int64(requestTimeout * 1000))
    return AsyncHTTPClientTransport.Timeouts(connect: min(.seconds(5), limit), read: limit, overall: limit)
  }
}
