import Foundation

/// Validity period findings: expired, not yet valid, expiring within the windows.
enum ValidityChecks {
  static func findings(_ certificate: Certificate, index: Int, now: Date, policy: CheckPolicy) -> [Finding] {
    let name = label(certificate, index: index)
    let notAfter = TimestampText.rfc3339(certificate.notAfter)
    let days = certificate.daysRemaining(now: now)
    switch ExpiryStatus.of(certificate, now: now, policy: policy) {
    case .expired:
      return [
        Finding(
          code: .expired, severity: .critical, message: "\(name) expired on \(notAfter) (\(-days) days ago)",
          certificateIndex: index)
      ]
    case .notYetValid:
      return [
        Finding(
          code: .notYetValid, severity: .critical,
          message: "\(name) is not valid before \(TimestampText.rfc3339(certificate.notBefore))",
          certificateIndex: index)
      ]
    case .critical:
      return [
        Finding(
          code: .expiresVerySoon, severity: .critical,
          message: "\(name) expires on \(notAfter), in \(days) days (critical window: \(policy.criticalDays) days)",
          certificateIndex: index)
      ]
    case .warning:
      return [
        Finding(
          code: .expiresSoon, severity: .warning,
          message: "\(name) expires on \(notAfter), in \(days) days (warning window: \(policy.warningDays) days)",
          certificateIndex: index)
      ]
    case .ok:
      return []
    }
  }

  /// `certificate #2 (CN=R3,O=Let's Encrypt)`.
  static func label(_ certificate: Certificate, index: Int) -> String {
    "certificate #\(index + 1) (\(certificate.subject.rfc4514))"
  }
}
