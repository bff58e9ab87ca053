import CertHookCore
import CertificateKit
import Foundation

/// The CLI's half of a lifecycle command's session: it finds the configuration file (printing its warnings),
/// turns the flags and the process environment into `RunSessionOptions` and lets `RunSession` (one session) or
/// `FleetSessions` (one per account and region) open the cloud.
enum LifecycleSession {
  /// Loads the configuration (printing its warnings) unless the caller already did (`preloaded`), opens a cloud
  /// session and runs `body`. With `trapsSignals` (commands that change listeners) SIGTERM/SIGINT stop new changes
  /// instead of killing the process (`SignalTrap`).
  static func with<T: Sendable>(
    cloud: CloudOptions, options: LifecycleOptions, requireConfiguration: Bool, checkPolicy: CheckPolicy = CheckPolicy(),
    progress: ProgressLine? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    preloaded: LoadedConfiguration? = nil, trapsSignals: Bool = true, stop: StopSignal? = nil,
    _ body: (LifecycleRun) async throws -> T
  ) async throws -> T {
    let loaded = try preloaded ?? ConfigurationLoader.load(
      explicitPath: options.config, environment: environment, required: requireConfiguration)
    for warning in loaded?.warnings ?? [] { Diagnostics.warning(warning) }
    var settings = Self.options(
      cloud: cloud, lifecycle: options, loaded: loaded, environment: environment, progress: progress,
      checkPolicy: checkPolicy)
    settings.stop = { stop ?? (trapsSignals ? SignalTrap.install() : nil) }
    return try await RunSession.with(settings) { session in
      try await body(LifecycleRun(session: session, configuration: loaded))
    }
  }

  /// Sessions for every (account, region) of `loaded`; its warnings are printed once, here, not per session.
  static func fleet(
    cloud: CloudOptions, lifecycle: LifecycleOptions, loaded: LoadedConfiguration,
    environment: [String: String] = ProcessInfo.processInfo.environment, progress: ProgressLine? = nil,
    stop: StopSignal = StopSignal(), checkPolicy: CheckPolicy = CheckPolicy()
  ) -> FleetSessions {
    for warning in loaded.warnings { Diagnostics.warning(warning) }
    var settings = Self.options(
      cloud: cloud, lifecycle: lifecycle, loaded: loaded, environment: environment, progress: progress,
      checkPolicy: checkPolicy)
    settings.stop = { stop }
    return FleetSessions(options: settings, configuration: loaded.configuration)
  }

  /// The library's options for these flags, configuration and environment (no stop request yet).
  static func options(
    cloud: CloudOptions, lifecycle: LifecycleOptions, loaded: LoadedConfiguration?, environment: [String: String],
    progress: ProgressLine?, checkPolicy: CheckPolicy
  ) -> RunSessionOptions {
    var settings = cloudOptions(cloud: cloud, loaded: loaded, environment: environment)
    settings.statePath = lifecycle.state
    settings.configuredStatePath = loaded?.setsStatePath == true ? loaded?.configuration.statePath : nil
    settings.refresh = lifecycle.refresh
    settings.checkPolicy = checkPolicy
    settings.progress = progress?.callback
    return settings
  }

  /// The library's options for the cloud flags, the configuration and the environment: the stderr logger of
  /// `-v`, warnings through `Diagnostics`, retry lines on a terminal.
  static func cloudOptions(
    cloud: CloudOptions, loaded: LoadedConfiguration?, environment: [String: String]
  ) -> RunSessionOptions {
    var settings = RunSessionOptions(
      cloud: cloud.choices, configuration: loaded?.configuration, configurationPath: loaded?.path,
      environment: environment, logger: StandardErrorLogger.make(verbosity: cloud.verbose),
      warn: { Diagnostics.warning($0) })
    settings.onRetry = RetryLine.terminal
    return settings
  }
}
