import AlibabaCloud
import CertHookCore
import CertificateKit
import Foundation
import Logging

/// Builds a `RunnerContext` from the command line, the configuration file, the environment and the state path.
enum LifecycleSession {
  /// Loads the configuration (printing its warnings) unless the caller already did (`preloaded`), opens a cloud
  /// session and runs `body`.
  ///
  /// Precedence: command-line flags, then `CERTHOOK_*` variables, then the configuration file, then the generic
  /// `ALIBABA_CLOUD_*` variables and the aliyun CLI profile.
  static func with<T: Sendable>(
    cloud: CloudOptions, options: LifecycleOptions, requireConfiguration: Bool, checkPolicy: CheckPolicy = CheckPolicy(),
    progress: ProgressLine? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    preloaded: LoadedConfiguration? = nil,
    _ body: (LifecycleRun) async throws -> T
  ) async throws -> T {
    let loaded = try preloaded ?? ConfigurationLoader.load(
      explicitPath: options.config, environment: environment, required: requireConfiguration)
    for warning in loaded?.warnings ?? [] { Diagnostics.warning(warning) }
    var cloudOptions = cloud
    var explicit: AccessCredentials?
    if let configuration = loaded?.configuration {
      cloudOptions = merged(cloud, configuration: configuration, environment: environment)
      explicit = try credentials(configuration.credentials, environment: environment)
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    let statePath = try StatePathResolver.resolve(
      explicit: options.state, configured: loaded?.setsStatePath == true ? loaded?.configuration.statePath : nil,
      homeDirectory: home)
    let poll = pollInterval(environment)
    let tuning = CloudTuning(
      writesPerSecond: loaded?.configuration.rateLimits.writesPerSecond,
      requestTimeout: loaded?.configuration.timeouts.request)
    return try await CloudSession.with(
      options: cloudOptions, explicit: explicit, environment: environment, homeDirectory: home, tuning: tuning
    ) { session in
      let backend = AlibabaCloudBackend(alb: session.alb, cas: session.cas, pollInterval: poll)
      let state = StateStore(path: statePath)
      for warning in state.warnings { Diagnostics.warning(warning) }
      var context = RunnerContext(
        backend: backend, state: state, now: Date(), logger: session.logger, progress: progress?.callback,
        checkPolicy: checkPolicy, acmeShHome: home + "/.acme.sh")
      if let configuration = loaded?.configuration { context = context.applying(configuration) }
      if let configuration = loaded?.configuration, let checks = TLSServingVerifier.checks(for: configuration) {
        context.servingVerifier = TLSServingVerifier(checks: checks, backend: backend, directory: backend)
      }
      return try await body(LifecycleRun(context: context, configuration: loaded, statePath: statePath))
    }
  }

  /// The command-line options with the configuration's region, endpoints and profile filled in where neither a
  /// flag nor a `CERTHOOK_*` variable set them.
  static func merged(_ cloud: CloudOptions, configuration: CertHookConfiguration, environment: [String: String]) -> CloudOptions {
    var result = cloud
    if result.region == nil { result.region = configuration.region }
    if result.albEndpoint == nil, (environment["CERTHOOK_ALB_ENDPOINT"] ?? "").isEmpty {
      result.albEndpoint = configuration.endpoints.alb
    }
    if result.casEndpoint == nil, (environment["CERTHOOK_CAS_ENDPOINT"] ?? "").isEmpty {
      result.casEndpoint = configuration.endpoints.cas
    }
    if result.profile == nil { result.profile = configuration.credentials.profile }
    return result
  }

  /// Credentials the configuration pins: keys in the file, or `environment: true` (only `ALIBABA_CLOUD_*` variables).
  static func credentials(_ settings: CredentialSettings, environment: [String: String]) throws -> AccessCredentials? {
    if let id = settings.accessKeyId, let secret = settings.accessKeySecret {
      return AccessCredentials(accessKeyId: id, accessKeySecret: secret)
    }
    guard settings.environment else { return nil }
    func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    guard let id = value("ALIBABA_CLOUD_ACCESS_KEY_ID"), let secret = value("ALIBABA_CLOUD_ACCESS_KEY_SECRET") else {
      throw CertHookError.configuration(
        path: "credentials.environment",
        message: "true, but ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not both set")
    }
    return AccessCredentials(accessKeyId: id, accessKeySecret: secret, securityToken: value("ALIBABA_CLOUD_SECURITY_TOKEN"))
  }

  /// Poll interval for jobs and listener status: `CERTHOOK_POLL_INTERVAL` seconds (0.01...10), default 1.
  static func pollInterval(_ environment: [String: String]) -> Duration {
    guard let text = environment["CERTHOOK_POLL_INTERVAL"], let seconds = Double(text), seconds >= 0.01, seconds <= 10 else {
      return .seconds(1)
    }
    return .milliseconds(Int64(seconds * 1000))
  }
}
