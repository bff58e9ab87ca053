import AlibabaCloud
import CertHookCore
import CertificateKit
import Foundation
import Logging

/// Builds a `RunnerContext` from the command line, the configuration file, the environment and the state path.
enum LifecycleSession {
  /// Loads the configuration (printing its warnings) unless the caller already did (`preloaded`), opens a cloud
  /// session and runs `body`. With `trapsSignals` (commands that change listeners) SIGTERM/SIGINT stop new changes
  /// instead of killing the process (`SignalTrap`).
  ///
  /// The cloud half (region, endpoints, credentials, limits and their precedence) is `CloudSession`'s decision.
  static func with<T: Sendable>(
    cloud: CloudOptions, options: LifecycleOptions, requireConfiguration: Bool, checkPolicy: CheckPolicy = CheckPolicy(),
    progress: ProgressLine? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    preloaded: LoadedConfiguration? = nil, trapsSignals: Bool = true, placement: TargetPlacement? = nil,
    rateLimiter: RateLimiter? = nil, stop: StopSignal? = nil,
    _ body: (LifecycleRun) async throws -> T
  ) async throws -> T {
    let loaded = try preloaded ?? ConfigurationLoader.load(
      explicitPath: options.config, environment: environment, required: requireConfiguration)
    for warning in loaded?.warnings ?? [] { Diagnostics.warning(warning) }
    let home = SessionEnvironment(environment).home ?? NSHomeDirectory()
    let statePath = try StatePathResolver.resolve(
      explicit: options.state, configured: loaded?.setsStatePath == true ? loaded?.configuration.statePath : nil,
      homeDirectory: home)
    let poll = pollInterval(environment)
    var request = SessionRequestBuilder.request(
      cloud: cloud, configuration: loaded?.configuration, configurationPath: loaded?.path)
    if let placement, let configuration = loaded?.configuration {
      request = SessionRequestBuilder.placed(
        request, at: placement, configuration: configuration, configurationPath: loaded?.path)
    }
    let logger = SessionRequestBuilder.makeLogger(verbosity: cloud.verbose)
    return try await CloudSession.with(
      request, environment: environment, homeDirectory: home, runtime: .system, logger: logger, rateLimiter: rateLimiter
    ) { session in
      let backend = AlibabaCloudBackend(alb: session.alb, cas: session.cas, pollInterval: poll)
      let sts = session.sts()
      let cas = session.cas.rpc
      // The account is asked only when a cached fact is first needed: a refused run still makes zero API calls.
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
      for warning in state.warnings { Diagnostics.warning(warning) }
      var context = RunnerContext(
        backend: backend, state: state, now: Date(), logger: logger, progress: progress?.callback,
        checkPolicy: checkPolicy, acmeShHome: home + "/.acme.sh")
      if let configuration = loaded?.configuration { context = context.applying(configuration) }
      if let stop {
        context.stop = stop
      } else if trapsSignals {
        context.stop = SignalTrap.install()
      }
      if let configuration = loaded?.configuration, let checks = TLSServingVerifier.checks(for: configuration) {
        context.servingVerifier = TLSServingVerifier(checks: checks, backend: backend, directory: backend)
      }
      return try await body(
        LifecycleRun(context: context, configuration: loaded, statePath: statePath, metrics: session.configuration.metrics))
    }
  }

  /// Poll interval for jobs and listener status: `CERTHOOK_POLL_INTERVAL` seconds (0.01...10), default 1.
  static func pollInterval(_ environment: [String: String]) -> Duration {
    guard let text = environment["CERTHOOK_POLL_INTERVAL"], let seconds = Double(text), seconds >= 0.01, seconds <= 10 else {
      return .seconds(1)
    }
    return .milliseconds(Int64(seconds * 1000))
  }
}
