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

  /// `audit` of the configured targets in every placement: rows together, errors prefixed with the placement.
  static func audit(sessions: FleetSessions) async -> AuditReport {
    let configuration = sessions.configuration
    let parts = await PlacementFanOut.run(configuration.placements()) { placement in
      try await sessions.open(placement) { context in
        let part = configuration.restricted(to: placement)
        return await AuditSelection(loadBalancers: [], listeners: [], configuration: part).run(AuditRunner(context: context))
      }
    }
    return AuditReport.merging(parts)
  }
}
