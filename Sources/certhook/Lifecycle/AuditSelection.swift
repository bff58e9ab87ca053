import CertHookCore
import Foundation

/// Which listeners `certhook audit` looks at: the selectors, else the configuration's targets, else everything.
struct AuditSelection: Sendable {
  /// Load balancers whose certificate-carrying listeners are audited.
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
    let albListeners = listeners.filter { ListenerProduct(key: $0) == .alb }
    guard !albListeners.isEmpty else {
      // Other products' listeners are read one by one, beside the load balancers' listings.
      return await runner.run(loadBalancerIds: loadBalancers, listenerIds: listeners)
    }
    // An ALB listener can belong to any ALB instance: one listing of the account's ALB listeners finds them all.
    var report = await runner.run(loadBalancerIds: [])
    report.rows = report.rows.filter { loadBalancers.contains($0.loadBalancerId) || albListeners.contains($0.listenerId) }
    let seen = Set(report.rows.map(\.listenerId))
    for id in albListeners where !seen.contains(id) {
      report.errors.append("listener \(id): not found among the HTTPS/QUIC listeners of this account and region")
    }
    let others = listeners.filter { ListenerProduct(key: $0) != .alb }
    let otherBalancers = loadBalancers.filter { ListenerProduct(key: $0) != .alb }
    if !others.isEmpty || !otherBalancers.isEmpty {
      let more = await runner.run(loadBalancerIds: otherBalancers, listenerIds: others)
      report.rows += more.rows
      report.errors += more.errors
    }
    return report
  }
}
