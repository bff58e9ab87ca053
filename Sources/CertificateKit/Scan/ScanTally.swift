/// Running counts and verdict of a report, updated one certificate or failure at a time
/// (lets a streaming renderer write its summary without keeping the entries).
public struct ScanTally: Sendable, Hashable {
  /// Counts per status and of failures.
  public private(set) var counts = ScanCounts()
  private var sawCritical = false
  private var sawWarning = false

  /// An empty tally.
  public init() {}

  /// Counts one certificate and its findings (a warning or critical finding raises the verdict to warning).
  public mutating func add(_ entry: CertificateReportEntry) {
    counts.certificates += 1
    if !entry.findings.isEmpty {
      counts.findings += entry.findings.count
      if entry.findings.contains(where: { $0.severity >= .warning }) { sawWarning = true }
    }
    switch entry.status {
    case .ok: counts.ok += 1
    case .warning:
      counts.warning += 1
      sawWarning = true
    case .critical:
      counts.critical += 1
      sawCritical = true
    case .expired:
      counts.expired += 1
      sawCritical = true
    case .notYetValid:
      counts.notYetValid += 1
      sawCritical = true
    }
  }

  /// Counts one failure.
  public mutating func add(_ failure: ScanFailure) {
    counts.failures += 1
  }

  /// Unknown without certificates; else critical, warning (a warning certificate, a warning or critical
  /// finding, or any failure) or ok.
  public var state: MonitoringState {
    if counts.certificates == 0 { return .unknown }
    if sawCritical { return .critical }
    if sawWarning || counts.failures > 0 { return .warning }
    return .ok
  }
}
