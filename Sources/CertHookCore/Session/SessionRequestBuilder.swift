import AlibabaCloud
import Foundation

/// Turns the command line's choices and the configuration file into `AlibabaCloud`'s `SessionRequest`: the CLI
/// chooses, `CloudSession` decides (precedence, environment, credential chain, limits).
public enum SessionRequestBuilder {
  /// The request for the `cloud` choices and the optional configuration (read from `configurationPath`);
  /// `retries` gets each retry's line (`retrying (2/7): ...`) before it happens.
  public static func request(
    cloud: CloudChoices, configuration: CertHookConfiguration?, configurationPath: String? = nil,
    retries: (@Sendable (String) -> Void)? = nil
  ) -> SessionRequest {
    let onRetry: (@Sendable (RetryNotice) -> Void)? = retries.map { show in { @Sendable notice in show(notice.text) } }
    let commandLine = SessionRequest.Choices(
      region: cloud.region,
      endpoints: cloud.productEndpoints.merging(
        ["alb": cloud.albEndpoint, "cas": cloud.casEndpoint].compactMapValues { $0 }, uniquingKeysWith: { _, b in b }))
    var file = SessionRequest.Choices()
    if let configuration {
      file = SessionRequest.Choices(
        region: configuration.region,
        endpoints: configuration.endpoints.byProduct)
    }
    return SessionRequest(
      commandLine: commandLine, configuration: file,
      credentials: selection(cloud: cloud, settings: configuration?.credentials, path: configurationPath),
      tuning: SessionTuning(
        writesPerSecond: configuration?.rateLimits.writesPerSecond, requestTimeout: configuration?.timeouts.request,
        actionLimits: (configuration?.rateLimits.actions ?? [:]).mapValues {
          RateLimit(requests: $0.requests, per: .milliseconds(Int64($0.seconds * 1000)))
        }),
      userAgent: cloud.userAgent, onRetry: onRetry)
  }

  /// `request` moved to `placement`: its region (when the targets name one, it beats `--region`) and, for a named
  /// account, that account's credentials from `accounts:` (`--profile` applies to the default account only).
  public static func placed(
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
  public static func selection(cloud: CloudChoices, settings: CredentialSettings?, path: String?) -> CredentialSelection {
    selection(profile: cloud.profile, settings: settings, path: path, key: "credentials")
  }

  /// The selection of one credentials section (`key` names it in origins: `credentials`, `accounts[2]`).
  public static func selection(profile: String?, settings: CredentialSettings?, path: String?, key: String) -> CredentialSelection {
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
}
