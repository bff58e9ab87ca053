import Foundation

/// A request budget: `requests` per `period`, with a burst of up to `burst` (default `requests`).
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
  /// Requests allowed per period.
  public var requests: Int
  /// The period.
  public var period: Duration
  /// Largest burst; defaults to `requests`.
  public var burst: Int

  /// Creates a limit of `requests` per `period`.
  public init(requests: Int, per period: Duration, burst: Int? = nil) {
    self.requests = max(1, requests)
    self.period = period
    self.burst = max(1, burst ?? requests)
  }

  /// Requests per second.
  public var perSecond: Double {
    let seconds = RetryPolicy.seconds(period)
    return seconds > 0 ? Double(requests) / seconds : Double(requests)
  }

  /// Parses `N/Ts` or `N/T` (seconds), e.g. `20/1s`, `200/60s`; nil when malformed.
  public init?(parsing text: String) {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let n = Int(parts[0]), n > 0 else { return nil }
    var t = String(parts[1])
    if t.hasSuffix("s") { t.removeLast() }
    if t.isEmpty { t = "1" }
    guard let seconds = Double(t), seconds > 0 else { return nil }
    self.init(requests: n, per: .milliseconds(Int64(seconds * 1000)))
  }

  /// `N/Ts`.
  public var description: String {
    let seconds = RetryPolicy.seconds(period)
    let text = seconds.rounded() == seconds ? String(Int(seconds)) : String(seconds)
    return "\(requests)/\(text)s"
  }

  /// Published limits from the API spec, by limiter key (`ApiAction.limiterKey`: the bare name for ALB, CAS and
  /// STS, `nlb:<name>` and so on for the others), read from `ApiAction`, the one table of them.
  public static let publishedDefaults: [String: RateLimit] = Dictionary(
    ApiAction.all.compactMap { action in
      action.publishedLimit.map { (action.limiterKey, RateLimit(requests: $0.requests, per: .seconds($0.seconds))) }
    },
    uniquingKeysWith: { a, _ in a })

  /// The limit for actions without a published one.
  public static let fallbackDefault = RateLimit(requests: 50, per: .seconds(1))
}
