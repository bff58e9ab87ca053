import Foundation

/// Where a certificate stands in its validity period.
public enum ExpiryStatus: String, Codable, Sendable {
  /// Valid and not expiring within the warning window.
  case ok
  /// Expires within the warning window.
  case warning
  /// Expires within the critical window.
  case critical
  /// Already expired.
  case expired
  /// Not valid yet.
  case notYetValid = "not-yet-valid"

  /// The status of `certificate` at `now`; windows are `days * 86400` seconds before notAfter.
  public static func of(_ certificate: Certificate, now: Date, policy: CheckPolicy) -> ExpiryStatus {
    let remaining = certificate.notAfter.timeIntervalSince(now)
    if remaining < 0 { return .expired }
    if certificate.notBefore > now { return .notYetValid }
    if remaining < TimeInterval(policy.criticalDays) * 86_400 { return .critical }
    if remaining < TimeInterval(policy.warningDays) * 86_400 { return .warning }
    return .ok
  }
}
