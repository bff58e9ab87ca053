import Foundation

/// The versioned certhook configuration file (version 1), decoded from YAML.
public struct CertHookConfiguration: Sendable, Codable, Equatable {
  /// The default location of the state cache.
  public static let defaultStatePath = "/var/lib/certhook/state.json"

  /// Format version; only 1 exists.
  public var version: Int
  /// Region of the load balancers (e.g. `cn-hangzhou`); nil leaves it to the environment.
  public var region: String?
  /// Where credentials come from.
  public var credentials: CredentialSettings
  /// Further accounts targets may name (`account:`), each with its own credentials; empty: one account.
  public var accounts: [AccountSettings] = []
  /// Optional endpoint overrides.
  public var endpoints: EndpointSettings
  /// Concurrency and rate limits for API writes.
  public var rateLimits: RateLimitSettings
  /// Timeouts for jobs and the whole hook.
  public var timeouts: TimeoutSettings
  /// Path of the state cache (JSON).
  public var statePath: String
  /// Optional per-load-balancer additional-certificate quotas (known limits speed up planning).
  public var quotas: [String: Int]
  /// What to deploy where.
  public var deployments: [Deployment]
  /// Who hears about failures, refusals, expiry warnings and (when asked) successes.
  public var notify: NotifySettings

  /// Creates a configuration; every setting except the deployments has a documented default.
  public init(
    version: Int = 1, region: String? = nil, credentials: CredentialSettings = .init(),
    endpoints: EndpointSettings = .init(), rateLimits: RateLimitSettings = .init(),
    timeouts: TimeoutSettings = .init(), statePath: String = CertHookConfiguration.defaultStatePath,
    quotas: [String: Int] = [:], deployments: [Deployment], notify: NotifySettings = NotifySettings()
  ) {
    self.version = version
    self.region = region
    self.credentials = credentials
    self.endpoints = endpoints
    self.rateLimits = rateLimits
    self.timeouts = timeouts
    self.statePath = statePath
    self.quotas = quotas
    self.deployments = deployments
    self.notify = notify
  }

  /// Every placement the deployments' targets use (those named in `only`, or all), sorted.
  public func placements(only: [String] = []) -> [TargetPlacement] {
    let chosen = deployments.filter { only.isEmpty || only.contains($0.name) }
    return Set(chosen.flatMap(\.usedPlacements)).sorted()
  }

  /// The same configuration with only the deployments (and their targets) in `placement`.
  public func restricted(to placement: TargetPlacement, only: [String] = []) -> CertHookConfiguration {
    var copy = self
    copy.deployments = deployments.filter { only.isEmpty || only.contains($0.name) }.compactMap {
      $0.restricted(to: placement)
    }
    return copy
  }

  /// Whether a run of these deployments needs more than the one default session (accounts or regions named).
  public func spansPlacements(only: [String] = []) -> Bool {
    placements(only: only).contains { $0 != .standard }
  }

  /// The account entry named `name`, nil for none.
  public func account(named name: String) -> AccountSettings? {
    accounts.first { $0.name == name }
  }

  /// Decodes a YAML document; errors name the key path, unknown keys become warnings.
  public static func decode(yaml: String, source: String) throws -> (CertHookConfiguration, warnings: [String]) {
    try ConfigurationDecoder.decode(yaml: yaml, source: source)
  }

  /// A warning for a configuration file that holds a secret yet is readable by group or others, or nil.
  public func permissionWarning(path: String, mode: UInt16) -> String? {
    let secrets = ([credentials] + accounts.map(\.credentials)).contains { $0.accessKeySecret != nil }
    guard secrets, mode & 0o077 != 0 else { return nil }
    return "\(path) holds an access key secret but is readable by group or others (mode "
      + String(mode & 0o777, radix: 8) + "); run: chmod 600 \(path)"
  }
}

extension CertHookConfiguration {
  /// The keys of the file's top level.
  static let fileKeys: Set<String> = [
    "version", "region", "credentials", "endpoints", "rateLimits", "rate_limits", "timeouts", "statePath",
    "state_path", "state", "quotas", "deployments", "notify", "accounts",
  ]

  /// Decodes version 1 of the file (`ConfigurationDecoder` names keys and lines in errors and warnings).
  public init(from decoder: any Decoder) throws {
    let file = try ConfigurationFields(decoder, known: Self.fileKeys)
    self.init(deployments: [])
    if let version = try file.int("version") {
      guard version == 1 else {
        throw file.error("version", "unsupported version \(version); this certhook reads version 1")
      }
    } else {
      file.warn("version: missing; assuming 1")
    }
    region = try file.region("region")
    credentials = try file.decode(CredentialSettings.self, "credentials") ?? CredentialSettings()
    if let list = try file.value("accounts") {
      accounts = try ConfigurationDecoder.uniquelyNamed(
        list, path: "accounts",
        notList: "must be a list of accounts (name plus profile, accessKeyId/accessKeySecret or assumeRole)",
        name: \.name, duplicate: { "duplicate account name \"\($0)\"" }, AccountSettings.init(from:))
    }
    endpoints = try file.decode(EndpointSettings.self, "endpoints") ?? EndpointSettings()
    if let key = file.first("rateLimits", "rate_limits") {
      rateLimits = try file.decode(RateLimitSettings.self, key) ?? RateLimitSettings()
    }
    timeouts = try file.decode(TimeoutSettings.self, "timeouts") ?? TimeoutSettings()
    if let key = file.first("statePath", "state_path", "state") {
      statePath = try file.string(key, shownAs: "statePath") ?? statePath
    }
    if let node = try file.value("quotas") {
      let map = try ConfigurationFields(node, known: nil)
      for balancer in map.keys {
        // `nlb-…`, `ga-…` and `lb-…` name their product's load balancer, as a plain target ID does.
        var key = balancer
        if case .loadBalancer(let qualified, _, _)? = DeploymentTarget.fromScalar(balancer) { key = qualified }
        quotas[key] = try map.inRange(map.int(balancer), 0...10_000, balancer)
      }
    }
    notify = try file.decode(NotifySettings.self, "notify") ?? NotifySettings()
    guard let list = try file.value("deployments") else {
      throw file.error("deployments", "missing; list at least one deployment")
    }
    deployments = try ConfigurationDecoder.uniquelyNamed(
      list, path: "deployments", notList: "must be a list of deployments", name: \.name,
      duplicate: { "duplicate deployment name \"\($0)\"" }, Deployment.init(from:))
    try checkAccounts()
  }

  /// Every account a target names is in `accounts:`.
  private func checkAccounts() throws {
    for (i, deployment) in deployments.enumerated() {
      for (j, placement) in deployment.placements.enumerated() {
        guard let name = placement.account, account(named: name) == nil else { continue }
        let known = accounts.map(\.name)
        throw CertHookError.configuration(
          path: "deployments[\(i)].targets[\(j)].account",
          message: "names no account in `accounts:` (\"\(name)\"; known: "
            + (known.isEmpty ? "none" : known.joined(separator: ", ")) + ")")
      }
    }
  }
}
