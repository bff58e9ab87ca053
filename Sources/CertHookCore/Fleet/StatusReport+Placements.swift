import Foundation

extension StatusReport {
  /// One report for a run over several accounts and regions: each placement's deployments, named
  /// `web [account prod, cn-shanghai]` outside the default placement; a placement that gave no report fails
  /// each of its `deployments` with the reason.
  public static func merging(
    _ parts: [(placement: TargetPlacement, outcome: Result<StatusReport, PlacementFailure>)],
    deployments: (TargetPlacement) -> [String]
  ) -> StatusReport {
    var all: [DeploymentStatus] = []
    for part in parts {
      let suffix = part.placement == .standard ? "" : " [\(part.placement)]"
      switch part.outcome {
      case .success(let report):
        all += report.deployments.map { status in
          var named = status
          named.name += suffix
          return named
        }
      case .failure(let failure):
        all += deployments(part.placement).map {
          DeploymentStatus(name: $0 + suffix, state: .failing, problems: [failure.message])
        }
      }
    }
    return StatusReport(deployments: all)
  }
}
