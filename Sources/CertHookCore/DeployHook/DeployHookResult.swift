import CertificateKit
import Foundation

/// The outcome of `certhook deploy-hook`.
public struct DeployHookResult: Codable, Sendable, Equatable {
  /// The detected caller and files.
  public var invocation: HookInvocation
  /// Names of the deployments that matched.
  public var deployments: [String]
  /// The plans that were executed (or only prechecked with `--dry-run`).
  public var plans: [DeploymentPlan]
  /// Every listener's outcome.
  public var report: DeploymentReport
}
