import Foundation

/// What happened on every listener: the summary every mutating command renders.
public struct DeploymentReport: Codable, Sendable, Equatable {
  /// True when nothing was changed on purpose (`--dry-run`).
  public var dryRun: Bool
  /// The certificates deployed (one per deployment involved).
  public var certificates: [MappedCertificate]
  /// Every listener with its outcome, sorted by listener ID then deployment.
  public var listeners: [ListenerOutcome]
  /// Problems not tied to one listener (e.g. a deployment whose certificate could not be loaded).
  public var errors: [String]
  /// Warnings worth showing (state cache problems, notes that need attention).
  public var warnings: [String]

  /// Creates a report.
  public init(
    dryRun: Bool, certificates: [MappedCertificate] = [], listeners: [ListenerOutcome] = [], errors: [String] = [],
    warnings: [String] = []
  ) {
    self.dryRun = dryRun
    self.certificates = certificates
    self.listeners = listeners
    self.errors = errors
    self.warnings = warnings
  }

  /// True when any listener failed or a general error occurred (the command exits non-zero).
  public var hasFailures: Bool {
    !errors.isEmpty || listeners.contains { $0.outcome == .failed }
  }

  /// Listener counts per outcome.
  public var counts: [ListenerOutcome.Outcome: Int] {
    var result: [ListenerOutcome.Outcome: Int] = [:]
    for l in listeners { result[l.outcome, default: 0] += 1 }
    return result
  }

  /// A one-line summary such as "3 listeners: 2 updated, 1 unchanged".
  public var summaryLine: String {
    let c = counts
    let parts = ListenerOutcome.Outcome.allCases.compactMap { o -> String? in
      guard let n = c[o], n > 0 else { return nil }
      return "\(n) \(o.rawValue)"
    }
    let total = listeners.count
    var line = "\(total) listener\(total == 1 ? "" : "s")"
    if !parts.isEmpty { line += ": " + parts.joined(separator: ", ") }
    if !errors.isEmpty { line += "; \(errors.count) error\(errors.count == 1 ? "" : "s")" }
    return line
  }

  /// Combines reports of several deployments.
  public static func merged(_ reports: [DeploymentReport], dryRun: Bool) -> DeploymentReport {
    var result = DeploymentReport(dryRun: dryRun)
    for r in reports {
      for c in r.certificates where !result.certificates.contains(c) { result.certificates.append(c) }
      result.listeners += r.listeners
      result.errors += r.errors
      result.warnings += r.warnings
    }
    result.listeners.sort { ($0.listenerId, $0.deployment ?? "") < ($1.listenerId, $1.deployment ?? "") }
    return result
  }
}

/// One listener's outcome.
public struct ListenerOutcome: Codable, Sendable, Equatable {
  /// What happened.
  public enum Outcome: String, Codable, Sendable, CaseIterable {
    /// Changed as planned.
    case updated
    /// Already right; nothing done.
    case unchanged
    /// Would change (dry run).
    case planned
    /// Not attempted (e.g. an earlier step of the deployment failed).
    case skipped
    /// Failed; see `error`. Old certificates stay in place.
    case failed
  }

  /// Listener ID (or load balancer ID when the load balancer itself could not be resolved).
  public var listenerId: String
  /// Owning load balancer, when known.
  public var loadBalancerId: String?
  /// Deployment name, when from the configuration.
  public var deployment: String?
  /// The outcome.
  public var outcome: Outcome
  /// Actions done (or, for `planned`, that would be done).
  public var actions: [PlannedAction]
  /// Notes from planning and execution.
  public var notes: [String]
  /// The error text for `failed` (or `skipped`).
  public var error: String?

  /// Creates an outcome.
  public init(
    listenerId: String, loadBalancerId: String?, deployment: String?, outcome: Outcome, actions: [PlannedAction] = [],
    notes: [String] = [], error: String? = nil
  ) {
    self.listenerId = listenerId
    self.loadBalancerId = loadBalancerId
    self.deployment = deployment
    self.outcome = outcome
    self.actions = actions
    self.notes = notes
    self.error = error
  }
}

/// Progress of a batch, for a terminal progress line.
public struct ExecutionProgress: Sendable, Equatable {
  /// Listeners finished so far.
  public var completed: Int
  /// Listeners in the batch.
  public var total: Int
  /// The listener that just finished.
  public var listenerId: String
  /// Its outcome.
  public var outcome: ListenerOutcome.Outcome

  /// Creates a progress value.
  public init(completed: Int, total: Int, listenerId: String, outcome: ListenerOutcome.Outcome) {
    self.completed = completed
    self.total = total
    self.listenerId = listenerId
    self.outcome = outcome
  }
}
