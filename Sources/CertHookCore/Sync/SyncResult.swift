import CertificateKit
import Foundation

/// The outcome of `certhook sync`.
public struct SyncResult: Codable, Sendable, Equatable {
  /// The plans followed, one per deployment that had a usable certificate.
  public var plans: [DeploymentPlan]
  /// Every listener's outcome, plus per-deployment errors.
  public var report: DeploymentReport

  /// Creates a result.
  public init(plans: [DeploymentPlan], report: DeploymentReport) {
    self.plans = plans
    self.report = report
  }
}
