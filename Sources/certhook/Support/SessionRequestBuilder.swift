import AlibabaCloud
import CertHookCore
import Foundation
import Logging

/// Turns the command line and the configuration file into the library's `SessionRequest`: the CLI chooses,
/// `CloudSession` decides (precedence, environment, credential chain, limits).
enum SessionRequestBuilder {
  /// The request for `cloud` flags and the optional configuration (read from `configurationPath`).
  static func request(
    cloud: CloudOptions, configuration: CertHookConfiguration?, configurationPath: String? = nil,
    retries: (@Sendable (RetryNotice) -> Void)? = RetryLine.terminal
  ) -> SessionRequest {
    let commandLine = SessionRequest.Choices(
      region: cloud.region,
      endpoints: ["alb": cloud.albEndpoint, "cas": cloud.casEndpoint].compactMapValues { $0 })
    var file = SessionRequest.Choices()
    if let configuration {
      file = SessionRequest.Choices(
        region: configuration.region,
        endpoints: ["alb": configuration.endpoints.alb, "cas": configuration.endpoints.cas].compactMapValues { $0 })
    }
    return SessionRequest(
      commandLine: commandLine, configuration: file,
      credentials: selection(cloud: cloud, settings: configuration?.credentials, path: configurationPath),
      tuning: SessionTuning(
        writesPerSecond: configuration?.rateLimits.writesPerSecond, requestTimeout: configuration?.timeouts.request,
        actionLimits: (configuration?.rateLimits.actions ?? [:]).mapValues {
          RateLimit(requests: $0.requests, per: .milliseconds(Int64($0.seconds * 1000)))
        }),
      userAgent: "certhook/\(VersionInfo.certhook)", onRetry: retries)
  }

  /// `request` moved to `placement`: its region (when the targets name one, it beats `--region`) and, for a named
  /// account, that account's credentials from `accounts:` (`--profile` applies to the default account only).
  static func placed(
    _ request: SessionRequest, at placement: TargetPlacement, configuration: CertHookConfiguration,
    configurationPath: String?
  ) -> SessionRequest {
    var moved = request
    if let region = placement.region { moved.commandLine.region = region }
    if let name = placement.account, let index = configuration.accounts.firstIndex(where: { $0.name == name }) {
      moved.credentials = selection(
        profile: nil, settings: configuration.accounts[index].credentials, path: configurationPath,
        key: "accounts[\(index)]")
    }
    return moved
  }

  /// `--profile` first (it replaces the whole `credentials:` section), then what the configuration's `credentials:`
  /// names, else the ambient chain; `credentials.assumeRole` assumes its role on top of that source.
  static func selection(cloud: CloudOptions, settings: CredentialSettings?, path: String?) -> CredentialSelection {
    selection(profile: cloud.profile, settings: settings, path: path, key: "credentials")
  }

  /// The selection of one credentials section (`key` names it in origins: `credentials`, `accounts[2]`).
  static func selection(profile: String?, settings: CredentialSettings?, path: String?, key: String) -> CredentialSelection {
    if let profile { return .profile(profile, origin: "--profile") }
    guard let settings else { return .standard }
    let file = (path.map { "\($0): " } ?? "") + key + "."
    let base = baseSelection(settings, file: file)
    guard let role = settings.assumeRole else { return base }
    return .assumeRole(
      .init(
        roleArn: role.roleArn, sessionName: role.sessionName, durationSeconds: role.durationSeconds, policy: role.policy,
        externalId: role.externalId),
      base: base, origin: "\(file)assumeRole")
  }

  private static func baseSelection(_ settings: CredentialSettings, file: String) -> CredentialSelection {
    if let id = settings.accessKeyId, let secret = settings.accessKeySecret {
      return .keys(
        AccessCredentials(accessKeyId: id, accessKeySecret: secret), origin: "\(file)accessKeyId/accessKeySecret")
    }
    if settings.environment { return .environment(origin: "\(file)environment") }
    if let profile = settings.profile { return .profile(profile, origin: "\(file)profile") }
    return .standard
  }

  /// A stderr logger: 0 warnings, 1 info (credential source), 2 debug (requests), 3+ trace.
  static func makeLogger(verbosity: Int) -> Logger {
    var logger = Logger(label: "certhook") { label in StreamLogHandler.standardError(label: label) }
    switch verbosity {
    case ..<1: logger.logLevel = .warning
    case 1: logger.logLevel = .info
    case 2: logger.logLevel = .debug
    default: logger.logLevel = .trace
    }
    return logger
  }
}
