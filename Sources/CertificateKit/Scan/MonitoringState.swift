/// The monitoring verdict of a report, with the Nagios exit-code convention as raw value.
public enum MonitoringState: Int, Sendable, Comparable, CaseIterable {
  /// Every certificate is valid and outside the warning window; nothing failed.
  case ok = 0
  /// A certificate is inside the warning window, or some files could not be read.
  case warning = 1
  /// A certificate is expired, not yet valid, or inside the critical window.
  case critical = 2
  /// Nothing could be scanned: no certificate was found.
  case unknown = 3

  /// Orders by the raw value.
  public static func < (lhs: MonitoringState, rhs: MonitoringState) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The state one certificate status contributes.
  public static func of(_ status: ExpiryStatus) -> MonitoringState {
    switch status {
    case .ok: return .ok
    case .warning: return .warning
    case .critical, .expired, .notYetValid: return .critical
    }
  }
}
