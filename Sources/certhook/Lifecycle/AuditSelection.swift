import CertHookCore
import Foundation

/// Which listeners `certhook audit` looks at: the selectors, else the configuration's targets, else everything.
struct AuditSelection: Sendable {
  /// Load balancers whose HTTPS/QUIC listeners are audited.
  let loadBalancers: [String]
  /// Individual listeners audited.
  let listeners: [String]

  /// The selection from the command line, falling back to the configuration's targets.
  init(loadBalancers: [String], listeners: [String], configuration: CertHookConfiguration?) {
    if loadBalancers.isEmpty, listeners.isEmpty, let configuration {
      var lbs: [String] = []
      var ids: [String] = []
      for target in configuration.deployments.flatMap(\.targets) {
        switch target {
        case .listener(let id) where !ids.contains(id): ids.append(id)
        case .loadBalancer(let id, _, _) where !lbs.contains(id): lbs.append(id)
        default: break
        }
      }
      self.loadBalancers = lbs
      self.listeners = ids
    } else {
      self.loadBalancers = loadBalancers
      self.listeners = listeners
    }
  }

  /// Runs the audit and keeps the selected rows; a selected listener with no row is reported as an error.
  func run(_ runner: AuditRunner) async -> AuditReport {
    // Listeners can belong to any load balancer, so a listener selector needs the whole account.
    let scope = listeners.isEmpty ? loadBalancers : []
    var report = await runner.run(loadBalancerIds: scope)
    guard !listeners.isEmpty else { return report }
    report.rows = report.rows.filter { loadBalancers.contains($0.loadBalancerId) || listeners.contains($0.listenerId) }
    let seen = Set(report.rows.map(\.listenerId))
    for id in listeners where !seen.contains(id) {
      report.errors.append("listener \(id): not found among the HTTPS/QUIC listeners of this account and region")
    }
    return report
  }
}
