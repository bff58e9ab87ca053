import CertificateKit

/// The words for a monitoring state in output (`OK`, `WARNING`, `CRITICAL`, `UNKNOWN`, as Nagios says).
enum ScanStateName {
  static func of(_ state: MonitoringState) -> String {
    switch state {
    case .ok: return "OK"
    case .warning: return "WARNING"
    case .critical: return "CRITICAL"
    case .unknown: return "UNKNOWN"
    }
  }
}
