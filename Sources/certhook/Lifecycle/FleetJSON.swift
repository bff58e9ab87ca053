import CertHookCore
import Foundation

/// `sync --json` over several accounts and regions: the merged `plans` and `report` (as for one session) plus
/// `groups`, one per (account, region) with its deployments, listener counts, errors and session failure.
struct FleetJSON: Encodable {
  /// One (account, region).
  struct Group: Encodable {
    let account: String
    let region: String?
    let deployments: [String]
    let succeeded: Bool
    let listeners: [String: Int]
    let errors: [String]
    let sessionError: String?
  }

  let plans: [DeploymentPlan]
  let report: DeploymentReport
  let groups: [Group]

  /// The document of `fleet`.
  init(_ fleet: FleetSyncResult) {
    plans = fleet.merged.plans
    report = fleet.merged.report
    groups = fleet.groups.map { group in
      Group(
        account: group.account ?? "default", region: group.region, deployments: group.deployments,
        succeeded: group.succeeded,
        listeners: Dictionary(uniqueKeysWithValues: group.result.report.counts.map { ($0.key.rawValue, $0.value) }),
        errors: group.result.report.errors, sessionError: group.sessionError)
    }
  }

  /// The `--metrics-file` series of `fleet` (none without one), with each placement's API request count.
  static func metrics(
    _ fleet: FleetSyncResult?, api: [(placement: TargetPlacement, api: APIUsage)]
  ) -> [RunMetrics.PlacementRun] {
    guard let fleet else { return [] }
    var runs: [RunMetrics.PlacementRun] = []
    for group in fleet.groups {
      let counters = api.first { $0.placement == group.placement }?.api
      let requests = counters?.attempts ?? 0
      runs.append(
        RunMetrics.PlacementRun(
          account: group.account ?? "default", region: group.region ?? "", succeeded: group.succeeded,
          listeners: group.result.report.counts, apiRequests: requests))
    }
    return runs
  }

  /// The text summary: one line per (account, region), e.g. `account prod, cn-shanghai: 3 listeners: 3 updated`.
  static func summary(_ fleet: FleetSyncResult) -> String {
    var text = "\nBy account and region:\n"
    for group in fleet.groups {
      let state = group.succeeded ? "ok" : "FAILED"
      let detail = group.sessionError ?? group.result.report.summaryLine
      text += "  \(group.placement): \(state), \(detail)\n"
    }
    return text
  }
}
