import CertHookCore
import Foundation

/// `status` and `audit` over several accounts and regions: each placement on its own session (`FleetSessions`),
/// at the same time, merged into one report whose entries name the placement.
enum FleetStatus {
  /// `status` for every placement the chosen deployments use.
  static func run(sessions: FleetSessions, only: [String]) async -> StatusReport {
    let configuration = sessions.configuration
    let parts = await PlacementFanOut.run(configuration.placements(only: only)) { placement in
      try await sessions.open(placement) { context in
        await StatusRunner(configuration: configuration.restricted(to: placement, only: only), context: context).run()
      }
    }
    return StatusReport.merging(parts) { configuration.restricted(to: $0, only: only).deployments.map(\.name) }
  }

  /// `audit` of the configured targets in every placement: rows together, errors prefixed with the placement; with
  /// `probe`, each placement's listeners are also handshaken through its own session (its DNS names).
  static func audit(
    sessions: FleetSessions, probe: (@Sendable (RunnerContext) throws -> ProbeRunner)? = nil
  ) async -> (AuditReport, ProbeReport?) {
    let configuration = sessions.configuration
    let parts = await PlacementFanOut.run(configuration.placements()) { placement in
      try await sessions.open(placement) { context in
        let part = configuration.restricted(to: placement)
        let audit = await AuditSelection(loadBalancers: [], listeners: [], configuration: part)
          .run(AuditRunner(context: context))
        guard let probe else { return (audit, ProbeReport?.none) }
        do {
          return (audit, await AuditProbe(runner: try probe(context)).run(audit))
        } catch {
          return (audit, ProbeReport(results: [], errors: ["\(error)"]))
        }
      }
    }
    let audit = AuditReport.merging(parts.map { ($0.placement, $0.outcome.map(\.0)) })
    guard probe != nil else { return (audit, nil) }
    var served = ProbeReport(results: [], errors: [])
    for part in parts {
      guard case .success(let outcome) = part.outcome, let report = outcome.1 else { continue }
      served.results += report.results
      served.errors += report.errors.map { "[\(part.placement)] \($0)" }
    }
    return (audit, served)
  }
}
