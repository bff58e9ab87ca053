import AlibabaCloud
import Foundation

/// One run's cloud session for one (account, region): it opens the `AlibabaCloud` session that
/// `SessionRequestBuilder` describes, the state cache and the runner context, and counts the API requests.
/// Region, endpoints, credentials and limits and their precedence are `CloudSession`'s decision.
public struct RunSession: Sendable {
  /// Cloud backend, state cache, clock value, logger, progress callback and stop request.
  public let context: RunnerContext
  /// The state cache path in use.
  public let statePath: String
  private let metrics: ClientMetrics

  /// The API requests this session sent so far.
  public func apiUsage() async -> APIUsage {
    await APIUsage(metrics)
  }

  /// Opens the session of `options` and runs `body` in it; the HTTP clients are shut down whatever happens.
  ///
  /// An unusable state path is a usage error (`--state: ...`), refused before any API call; the account is asked
  /// only when a cached fact is first needed, so a refused run makes zero API calls.
  public static func with<T: Sendable>(
    _ options: RunSessionOptions, _ body: (RunSession) async throws -> T
  ) async throws -> T {
    try await with(options, placement: nil, rateLimiter: nil, body)
  }

  /// `with(options)` moved to `placement` and pacing with `rateLimiter` (nil: the session's own).
  static func with<T: Sendable>(
    _ options: RunSessionOptions, placement: TargetPlacement?, rateLimiter: RateLimiter?,
    _ body: (RunSession) async throws -> T
  ) async throws -> T {
    let home = options.homeDirectory
    let statePath = try StatePathResolver.resolve(
      explicit: options.statePath, configured: options.configuredStatePath, homeDirectory: home)
    let poll = options.pollInterval
    var request = SessionRequestBuilder.request(
      cloud: options.cloud, configuration: options.configuration, configurationPath: options.configurationPath,
      retries: options.onRetry)
    if let placement, let configuration = options.configuration {
      request = SessionRequestBuilder.placed(
        request, at: placement, configuration: configuration, configurationPath: options.configurationPath)
    }
    let logger = options.logger
    return try await CloudSession.with(
      request, environment: options.environment, homeDirectory: home, runtime: .system, logger: logger,
      rateLimiter: rateLimiter
    ) { session in
      let backend = try session.backend(pollInterval: poll)
      let sts = session.sts()
      let cas = session.cas.rpc
      let state: StateStore
      do {
        state = try StateStore.open(path: statePath, refresh: options.refresh) {
          await StateScopeResolver.resolve(
            casEndpoint: cas.endpoint, sts: sts, credentials: cas.credentials, logger: logger)
        }
      } catch CertHookError.state(let message) {
        // A path that must not be used is a usage error (64), refused before anything else happens.
        throw CertHookError.invalidArgument("--state: \(message)")
      }
      for warning in state.warnings { options.warn(warning) }
      var context = RunnerContext(
        backend: backend, state: state, now: Date(), logger: logger, progress: options.progress,
        checkPolicy: options.checkPolicy, acmeShHome: home + "/.acme.sh")
      if let configuration = options.configuration { context = context.applying(configuration) }
      if let stop = options.stop() { context.stop = stop }
      if let configuration = options.configuration, let checks = TLSServingVerifier.checks(for: configuration) {
        context.servingVerifier = TLSServingVerifier(checks: checks, backend: backend, directory: backend)
      }
      return try await body(
        RunSession(context: context, statePath: statePath, metrics: session.configuration.metrics))
    }
  }
}
