import AlibabaCloud
import CertHookCore
import CertificateKit
import Foundation

/// The CLI's half of a run over several accounts and regions: it opens each placement's cloud session (through
/// `LifecycleSession`, so precedence, state cache and limits stay the same as for one session), gives every
/// session of one account that account's single rate limiter (the published limits are per account), and keeps
/// each placement's API counters for `--metrics-file`.
actor FleetSessions {
  private let cloud: CloudOptions
  private let lifecycle: LifecycleOptions
  private let loaded: LoadedConfiguration
  private let environment: [String: String]
  private let progress: ProgressLine?
  private let stop: StopSignal
  private let checkPolicy: CheckPolicy
  private var limiters: [String: RateLimiter] = [:]
  private var counters: [TargetPlacement: ClientMetrics] = [:]

  /// Sessions for `loaded` (its warnings are printed once, here, not per session).
  init(
    cloud: CloudOptions, lifecycle: LifecycleOptions, loaded: LoadedConfiguration,
    environment: [String: String] = ProcessInfo.processInfo.environment, progress: ProgressLine? = nil,
    stop: StopSignal = StopSignal(), checkPolicy: CheckPolicy = CheckPolicy()
  ) {
    self.checkPolicy = checkPolicy
    for warning in loaded.warnings { Diagnostics.warning(warning) }
    self.cloud = cloud
    self.lifecycle = lifecycle
    self.loaded = LoadedConfiguration(
      path: loaded.path, configuration: loaded.configuration, warnings: [], setsStatePath: loaded.setsStatePath)
    self.environment = environment
    self.progress = progress
    self.stop = stop
  }

  /// The configuration the sessions serve.
  nonisolated var configuration: CertHookConfiguration { loaded.configuration }

  /// The one limiter of `account` (nil: the default credentials), made on first use with the configured limits.
  func limiter(for account: String?) -> RateLimiter {
    let key = account.map { "account:" + $0 } ?? "default"
    if let existing = limiters[key] { return existing }
    let tuning = SessionRequestBuilder.request(cloud: cloud, configuration: loaded.configuration).tuning
    let made = RateLimiter(limits: RateLimit.publishedDefaults.merging(tuning.rateLimits) { $1 }, runtime: .system)
    limiters[key] = made
    return made
  }

  /// Remembers the API counters of `placement`'s session.
  func record(_ metrics: ClientMetrics, for placement: TargetPlacement) {
    counters[placement] = metrics
  }

  /// Every placement's API counters, sorted by placement.
  var metrics: [(placement: TargetPlacement, api: ClientMetrics)] {
    counters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// Opens `placement`'s session, runs `body` in it and closes it.
  nonisolated func open<T: Sendable>(
    _ placement: TargetPlacement, _ body: @Sendable (RunnerContext) async throws -> T
  ) async throws -> T {
    let limiter = await limiter(for: placement.account)
    return try await LifecycleSession.with(
      cloud: cloud, options: lifecycle, requireConfiguration: true, checkPolicy: checkPolicy, progress: progress,
      environment: environment,
      preloaded: loaded, placement: placement, rateLimiter: limiter, stop: stop
    ) { run in
      await self.record(run.metrics, for: placement)
      return try await body(run.context)
    }
  }

  /// The CAS site of `placement`: the CAS endpoint override when one is set, else the site its region uses
  /// (the mainland site for `cn-*` regions, the international one for the others).
  nonisolated func casSite(_ placement: TargetPlacement) -> String {
    let request = SessionRequestBuilder.placed(
      SessionRequestBuilder.request(cloud: cloud, configuration: loaded.configuration, retries: nil), at: placement,
      configuration: loaded.configuration, configurationPath: loaded.path)
    let parsed = SessionEnvironment(environment)
    if let override = try? request.endpointOverride(.cas, environment: parsed) { return override.absoluteString }
    let region = placement.region ?? cloud.region ?? loaded.configuration.region ?? parsed.region ?? ""
    return (try? CloudProduct.cas.defaultEndpoint(region: region).absoluteString) ?? "region:" + region
  }
}
