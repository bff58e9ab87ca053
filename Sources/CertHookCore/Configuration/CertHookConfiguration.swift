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
    try ConfigurationDecoder(source: source).decode(yaml: yaml)
  }

  /// A warning for a configuration file that holds a secret yet is readable by group or others, or nil.
  public func permissionWarning(path: String, mode: UInt16) -> String? {
    let secrets = ([credentials] + accounts.map(\.credentials)).contains { $0.accessKeySecret != nil }
    guard secrets, mode & 0o077 != 0 else { return nil }
    return "\(path) holds an access key secret but is readable by group or others (mode "
      + String(mode & 0o777, radix: 8) + "); run: chmod 600 \(path)"
  }
}
