import Foundation
import Logging

/// Settings shared by the ALB and CAS clients: region, endpoints, retries, rate limits, runtime, logger.
///
/// Build one configuration and hand it to both clients so they share the rate limiter and metrics.
public struct ClientConfiguration: Sendable {
  /// Region of the ALB instances, e.g. `cn-hangzhou`.
  public var region: String
  /// ALB endpoint override (else `https://alb.<region>.aliyuncs.com`).
  public var albEndpoint: URL?
  /// CAS endpoint override (else `cas.aliyuncs.com` for `cn-*`, `cas.ap-southeast-1.aliyuncs.com` otherwise).
  public var casEndpoint: URL?
  /// Retry policy for every call.
  public var retryPolicy: RetryPolicy
  /// The per-action token buckets.
  public var rateLimiter: RateLimiter
  /// Counters of attempts, retries and throttling.
  public var metrics: ClientMetrics
  /// Clock, nonces, randomness and sleeping.
  public var runtime: ClientRuntime
  /// Logger for request lines (debug) and details (trace); never receives secrets.
  public var logger: Logger
  /// `User-Agent` sent with every request.
  public var userAgent: String
  /// Called before each retry (never with a secret); nil to stay silent.
  public var onRetry: (@Sendable (RetryNotice) -> Void)?

  /// Creates a configuration; `rateLimits` overrides the published per-action limits.
  public init(
    region: String, albEndpoint: URL? = nil, casEndpoint: URL? = nil, retryPolicy: RetryPolicy = RetryPolicy(),
    rateLimits: [String: RateLimit] = [:], adaptiveRateLimiting: Bool = true, runtime: ClientRuntime,
    logger: Logger = Logger(label: "certhook.alibabacloud"), userAgent: String = "certhook",
    onRetry: (@Sendable (RetryNotice) -> Void)? = nil
  ) {
    self.onRetry = onRetry
    self.region = region
    self.albEndpoint = albEndpoint
    self.casEndpoint = casEndpoint
    self.retryPolicy = retryPolicy
    self.rateLimiter = RateLimiter(
      limits: RateLimit.publishedDefaults.merging(rateLimits) { $1 }, adaptive: adaptiveRateLimiting, runtime: runtime)
    self.metrics = ClientMetrics()
    self.runtime = runtime
    self.logger = logger
    self.userAgent = userAgent
  }

  /// The ALB endpoint to use (validated: https, or http to loopback only).
  public func resolvedALBEndpoint() throws -> URL {
    if let albEndpoint {
      try EndpointPolicy.validate(albEndpoint)
      return albEndpoint
    }
    try Self.validateRegion(region)
    return try Self.url("https://alb.\(region).aliyuncs.com")
  }

  /// The CAS endpoint to use (validated: https, or http to loopback only).
  public func resolvedCASEndpoint() throws -> URL {
    if let casEndpoint {
      try EndpointPolicy.validate(casEndpoint)
      return casEndpoint
    }
    try Self.validateRegion(region)
    return try Self.url(region.hasPrefix("cn-") ? "https://cas.aliyuncs.com" : "https://cas.ap-southeast-1.aliyuncs.com")
  }

  static func validateRegion(_ region: String) throws {
    let allowed = CharacterSet.lowercaseLetters.union(.decimalDigits).union(CharacterSet(charactersIn: "-"))
    guard !region.isEmpty, region.unicodeScalars.allSatisfy({ allowed.contains($0) }) else {
      throw AlibabaCloudError.configuration(
        "region \"\(region)\" is not a valid region id (e.g. cn-hangzhou); set --region or ALIBABA_CLOUD_REGION_ID")
    }
  }

  private static func url(_ text: String) throws -> URL {
    guard let url = URL(string: text) else { throw AlibabaCloudError.configuration("cannot build endpoint url \(text)") }
    return url
  }
}
