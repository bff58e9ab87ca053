import Foundation

/// What one run of `sync`, `deploy-hook` or `audit` measured, for the node-exporter textfile: when it ran, how
/// each deployment ended, listeners by outcome, API attempts by action and result code, retries, duration, and
/// (audit) the served certificates' expiry. Rendered by `MetricsTextfile`.
public struct RunMetrics: Sendable, Equatable {
  /// One deployment's result in this run.
  public struct DeploymentRun: Sendable, Equatable {
    /// The deployment's name (empty for a run without deployments, such as an audit).
    public var name: String
    /// True when nothing failed for it.
    public var succeeded: Bool
    /// Listener counts per outcome.
    public var listeners: [ListenerOutcome.Outcome: Int]

    /// Creates a result.
    public init(name: String, succeeded: Bool, listeners: [ListenerOutcome.Outcome: Int] = [:]) {
      self.name = name
      self.succeeded = succeeded
      self.listeners = listeners
    }
  }

  /// One (account, region) of a run over several accounts and regions (`accounts:`).
  public struct PlacementRun: Sendable, Equatable {
    /// The account's name in `accounts:` (`default` for the default credentials).
    public var account: String
    /// The region the targets named (empty for the configuration's region).
    public var region: String
    /// True when nothing failed there (its session opened, every listener and deployment went through).
    public var succeeded: Bool
    /// Listener counts per outcome there.
    public var listeners: [ListenerOutcome.Outcome: Int]
    /// API requests (every attempt) its session sent.
    public var apiRequests: Int

    /// Creates a placement's result.
    public init(
      account: String, region: String, succeeded: Bool, listeners: [ListenerOutcome.Outcome: Int] = [:],
      apiRequests: Int = 0
    ) {
      self.account = account
      self.region = region
      self.succeeded = succeeded
      self.listeners = listeners
      self.apiRequests = apiRequests
    }
  }

  /// One served certificate's expiry for one domain on one listener.
  public struct CertificateExpiry: Sendable, Equatable {
    /// The load balancer.
    public var loadBalancer: String
    /// The listener.
    public var listener: String
    /// The certificate (CAS name, else ALB certificate ID).
    public var certificate: String
    /// One name it covers (empty when CAS gave none).
    public var domain: String
    /// End of validity.
    public var notAfter: Date

    /// Creates an expiry.
    public init(loadBalancer: String, listener: String, certificate: String, domain: String, notAfter: Date) {
      self.loadBalancer = loadBalancer
      self.listener = listener
      self.certificate = certificate
      self.domain = domain
      self.notAfter = notAfter
    }
  }

  /// `sync`, `deploy-hook` or `audit`.
  public var command: String
  /// When the run ended (the timestamp of "last run").
  public var finishedAt: Date
  /// Wall time of the run.
  public var durationSeconds: Double
  /// Each deployment the run covered.
  public var deployments: [DeploymentRun]
  /// API attempts per action and result code (`OK`, an API error code, or a failure kind).
  public var apiRequests: [String: [String: Int]]
  /// Retries per action.
  public var retries: [String: Int]
  /// Served certificates' expiry (audit).
  public var expiries: [CertificateExpiry]
  /// Notifiers that could not be reached this run.
  public var notificationsFailed: Int
  /// Each (account, region) of a run over several (empty for a run of one session).
  public var placements: [PlacementRun] = []

  /// Creates run metrics.
  public init(
    command: String, finishedAt: Date, durationSeconds: Double, deployments: [DeploymentRun],
    apiRequests: [String: [String: Int]] = [:], retries: [String: Int] = [:], expiries: [CertificateExpiry] = [],
    notificationsFailed: Int = 0
  ) {
    self.command = command
    self.finishedAt = finishedAt
    self.durationSeconds = durationSeconds
    self.deployments = deployments
    self.apiRequests = apiRequests
    self.retries = retries
    self.expiries = expiries
    self.notificationsFailed = notificationsFailed
  }

  /// Each deployment of `names` with its listeners from `report`; a deployment succeeded when none of its
  /// listeners failed and no general error names it (a report with errors naming no deployment fails them all).
  public static func deployments(from report: DeploymentReport, names: [String]) -> [DeploymentRun] {
    let unattributed = report.errors.contains { error in !names.contains { error.hasPrefix("\($0): ") } }
    return names.map { name in
      let mine = report.listeners.filter { $0.deployment == name }
      var counts: [ListenerOutcome.Outcome: Int] = [:]
      for listener in mine { counts[listener.outcome, default: 0] += 1 }
      let failed = unattributed || counts[.failed, default: 0] > 0 || report.errors.contains { $0.hasPrefix("\(name): ") }
      return DeploymentRun(name: name, succeeded: !failed, listeners: counts)
    }
  }

  /// Expiry series of an audit: one per listener certificate and domain it covers.
  public static func expiries(from audit: AuditReport) -> [CertificateExpiry] {
    audit.rows.flatMap { row -> [CertificateExpiry] in
      guard let notAfter = row.notAfter else { return [] }
      let domains = row.domains.isEmpty ? [row.commonName ?? ""] : row.domains
      return domains.map {
        CertificateExpiry(
          loadBalancer: row.loadBalancerId, listener: row.listenerId, certificate: row.name ?? row.certificateId,
          domain: $0, notAfter: notAfter)
      }
    }
  }
}
