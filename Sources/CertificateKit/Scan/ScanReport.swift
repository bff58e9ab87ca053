import Foundation

/// The result of a scan (or any certificate report): entries, failures, the time and policy used.
public struct ScanReport: Sendable {
  /// Certificates in report order (file order, then position in the file).
  public var entries: [CertificateReportEntry]
  /// Files or directories that could not be read or parsed.
  public var failures: [ScanFailure]
  /// Files read (certificate files and skipped ones).
  public var filesRead: Int
  /// The time statuses were computed for.
  public let now: Date
  /// The warning and critical windows used.
  public let policy: CheckPolicy

  /// A report from its parts.
  public init(
    entries: [CertificateReportEntry], failures: [ScanFailure], filesRead: Int, now: Date, policy: CheckPolicy
  ) {
    self.entries = entries
    self.failures = failures
    self.filesRead = filesRead
    self.now = now
    self.policy = policy
  }

  /// Counts and verdict.
  public var tally: ScanTally {
    var tally = ScanTally()
    for entry in entries { tally.add(entry) }
    for failure in failures { tally.add(failure) }
    return tally
  }

  /// Counts per status.
  public var counts: ScanCounts { tally.counts }

  /// The monitoring verdict: unknown without certificates; else the worst certificate state,
  /// raised to warning when something failed.
  public var state: MonitoringState { tally.state }
}
