import Foundation

/// `certhook status`: every deployment with its state; read-only, it changes nothing in the cloud.
public struct StatusReport: Codable, Sendable, Equatable {
  /// The deployments, in configuration order.
  public var deployments: [DeploymentStatus]

  /// Creates a report.
  public init(deployments: [DeploymentStatus]) {
    self.deployments = deployments
  }

  /// Deployments per state.
  public var counts: [DeploymentStatus.State: Int] {
    var result: [DeploymentStatus.State: Int] = [:]
    for d in deployments { result[d.state, default: 0] += 1 }
    return result
  }

  /// Failing when any deployment fails, else pending when any is pending, else converged.
  public var state: DeploymentStatus.State {
    let states = Set(deployments.map(\.state))
    if states.contains(.failing) { return .failing }
    return states.contains(.pending) ? .pending : .converged
  }
}
