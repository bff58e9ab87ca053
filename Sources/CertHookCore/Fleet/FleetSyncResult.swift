import Foundation

/// The outcome of a `sync` over several accounts and regions: one `PlacementResult` per (account, region), and
/// the merged result whose errors name the placement they happened in.
public struct FleetSyncResult: Codable, Sendable, Equatable {
  /// Every placement, default account first, then by account name and region.
  public var groups: [PlacementResult]
  /// Every placement's plans and listeners together; each error is prefixed with its placement.
  public var merged: SyncResult

  /// Builds the merged result from `groups`.
  public init(groups: [PlacementResult], dryRun: Bool) {
    self.groups = groups
    var report = DeploymentReport.merged(groups.map(\.result.report), dryRun: dryRun)
    report.errors = groups.flatMap { group in group.result.report.errors.map { "[\(group.placement)] \($0)" } }
    var warnings: [String] = []
    for group in groups {
      for warning in group.result.report.warnings where !warnings.contains(warning) { warnings.append(warning) }
    }
    report.warnings = warnings
    self.merged = SyncResult(plans: groups.flatMap(\.result.plans), report: report)
  }
}
