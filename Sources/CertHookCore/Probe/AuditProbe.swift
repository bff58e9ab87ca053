import Foundation

/// `audit --probe`: handshakes every audited listener for the names its certificates cover, and says
/// per audited certificate for which names it was actually served.
public struct AuditProbe: Sendable {
  /// The probe runner (its context should be the audit's).
  public var runner: ProbeRunner

  /// Creates the step.
  public init(runner: ProbeRunner) {
    self.runner = runner
  }

  /// Probes the listeners of the audit's rows (domains: the SANs of what the API lists on each).
  public func run(_ audit: AuditReport) async -> ProbeReport {
    var listeners: [String] = []
    for row in audit.rows where !listeners.contains(row.listenerId) { listeners.append(row.listenerId) }
    guard !listeners.isEmpty else { return ProbeReport(results: [], errors: []) }
    return await runner.run(.selectors(listeners: listeners, loadBalancers: [], domains: []))
  }

  /// `listenerId certificateId` -> the names that handshake presented it for.
  public static func servedNames(_ probe: ProbeReport) -> [String: [String]] {
    var result: [String: [String]] = [:]
    for item in probe.results {
      guard let id = item.listedCertificateId else { continue }
      result["\(item.target.listenerId) \(id)", default: []].append(item.target.domain)
    }
    return result
  }

  /// The audit's exit code combined with the probe's (a probe that reached nothing counts as a warning).
  public static func exitCode(audit: AuditReport, probe: ProbeReport) -> Int32 {
    let probeCode = probe.results.isEmpty ? 0 : (probe.exitCode == 3 ? 1 : probe.exitCode)
    return audit.exitCode == 3 ? 3 : max(audit.exitCode, probeCode)
  }
}
