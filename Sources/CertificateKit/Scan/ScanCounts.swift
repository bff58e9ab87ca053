/// How many certificates a report holds per status, and how many failures.
public struct ScanCounts: Sendable, Hashable {
  /// All certificates.
  public var certificates = 0
  /// Valid and outside the warning window.
  public var ok = 0
  /// Inside the warning window.
  public var warning = 0
  /// Inside the critical window.
  public var critical = 0
  /// Past notAfter.
  public var expired = 0
  /// Before notBefore.
  public var notYetValid = 0
  /// Files or directories that could not be read.
  public var failures = 0

  /// Counts `entries` and `failures`.
  public init(entries: [CertificateReportEntry], failures: Int) {
    self.failures = failures
    certificates = entries.count
    for entry in entries {
      switch entry.status {
      case .ok: ok += 1
      case .warning: warning += 1
      case .critical: critical += 1
      case .expired: expired += 1
      case .notYetValid: notYetValid += 1
      }
    }
  }
}
