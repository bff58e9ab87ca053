import CertificateKit
import Foundation

/// The outcome of `certhook prune`.
public struct PruneReport: Codable, Sendable, Equatable {
  /// True with `--dry-run`.
  public var dryRun: Bool
  /// Dissociations of expired certificates, per listener.
  public var dissociations: DeploymentReport
  /// CAS uploads deleted (or to delete).
  public var deletions: [PrunedCertificate]
  /// Problems reading the account.
  public var errors: [String]
  /// CLB server certificates certhook created that nothing used: deleted (or to delete).
  public var serverCertificates: [PrunedServerCertificate] = []

  /// True when anything failed.
  public var hasFailures: Bool {
    dissociations.hasFailures || !errors.isEmpty || deletions.contains { $0.outcome == .failed }
      || serverCertificates.contains { $0.outcome == .failed }
  }
}
