import CertificateKit
import Foundation

/// The outcome of a batch command: the plan it followed and what happened.
public struct BatchResult: Codable, Sendable, Equatable {
  /// The plan (printed with `--dry-run`).
  public var plan: DeploymentPlan
  /// Every listener's outcome.
  public var report: DeploymentReport
}
