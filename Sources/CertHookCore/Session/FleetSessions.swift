import AlibabaCloud
import Foundation

/// A run over several accounts and regions: it opens each placement's `RunSession` (so precedence, state cache
/// and limits stay the same as for one session), gives every session of one account that account's single rate
/// limiter (the published limits are per account), and keeps each placement's API counts for `--metrics-file`.
public actor FleetSessions {
  private let options: RunSessionOptions
  private let served: CertHookConfiguration
  private var limiters: [String: RateLimiter] = [:]
  private var allowances: [String: PlanningAllowance] = [:]
  private var counts: [TargetPlacement: APIUsage] = [:]

  /// Sessions for `options`, whose configuration is `configuration` (the caller prints its warnings once).
  public init(options: RunSessionOptions, configuration: CertHookConfiguration) {
    var options = options
    options.configuration = configuration
    self.options = options
    self.served = configuration
  }

  /// The configuration the sessions serve.
  public nonisolated var configuration: CertHookConfiguration { served }

  /// What inspecting a hook's certificate needs, as every session's context has it (no session opened).
  public nonisolated func hookInspection(now: Date = Date()) -> HookInspection {
    HookInspection(now: now, policy: options.checkPolicy, acmeShHome: options.homeDirectory + "/.acme.sh")
  }

  /// The one limiter of `account` (nil: the default credentials), made on first use with the configured limits.
  func limiter(for account: String?) -> RateLimiter {
    let key = Self.key(account)
    if let existing = limiters[key] { return existing }
    let tuning = SessionRequestBuilder.request(cloud: options.cloud, configuration: served).tuning
    let made = RateLimiter(limits: RateLimit.publishedDefaults.merging(tuning.rateLimits) { $1 }, runtime: .system)
    limiters[key] = made
    return made
  }

  /// The one planning allowance of `account` (see `PlanningAllowance`).
  func planningAllowance(for account: String?) -> PlanningAllowance {
    let key = Self.key(account)
    if let existing = allowances[key] { return existing }
    let made = PlanningAllowance(limit: Self.planningAhead)
    allowances[key] = made
    return made
  }

  /// Listeners one account may have planned and not yet done: two load balancers of ten, one whose associations
  /// go out while the last one's are checked and its predecessors retired. In the fleet benchmark (20 accounts at
  /// 20 writes per second) 20 took 8.5 s where 10 took 8.9 s, 25-40 8.2-9.7 s and no limit 8.9-9.2 s.
  static let planningAhead = 20

  /// What an account's limiter and allowance are kept under (nil: the default credentials).
  private static func key(_ account: String?) -> String {
    account.map { "account:" + $0 } ?? "default"
  }

  /// Remembers the API counts of `placement`'s session.
  func record(_ usage: APIUsage, for placement: TargetPlacement) {
    counts[placement] = usage
  }

  /// Every opened placement's API counts, sorted by placement.
  public var apiUsage: [(placement: TargetPlacement, api: APIUsage)] {
    counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// Every opened placement's API counts summed.
  public var totalAPIUsage: APIUsage {
    counts.values.reduce(into: APIUsage()) { $0.add($1) }
  }

  /// Opens `placement`'s session, runs `body` in it and closes it.
  public nonisolated func open<T: Sendable>(
    _ placement: TargetPlacement, _ body: @Sendable (RunnerContext) async throws -> T
  ) async throws -> T {
    let limiter = await limiter(for: placement.account)
    let allowance = await planningAllowance(for: placement.account)
    return try await RunSession.with(options, placement: placement, rateLimiter: limiter) { run in
      do {
        var context = run.context
        context.planningAllowance = allowance
        let value = try await body(context)
        await self.record(await run.apiUsage(), for: placement)
        return value
      } catch {
        await self.record(await run.apiUsage(), for: placement)
        throw error
      }
    }
  }

  /// The CAS site of `placement`: the CAS endpoint override when one is set, else the site its region uses
  /// (the mainland site for `cn-*` regions, the international one for the others).
  public nonisolated func casSite(_ placement: TargetPlacement) -> String {
    let request = SessionRequestBuilder.placed(
      SessionRequestBuilder.request(cloud: options.cloud, configuration: served), at: placement,
      configuration: served, configurationPath: options.configurationPath)
    let parsed = SessionEnvironment(options.environment)
    if let override = try? request.endpointOverride(.cas, environment: parsed) { return override.absoluteString }
    let region = placement.region ?? options.cloud.region ?? served.region ?? parsed.region ?? ""
    return (try? CloudProduct.cas.defaultEndpoint(region: region).absoluteString) ?? "region:" + region
  }
}
