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
