import CertificateKit
import Foundation

/// The remote expiry scan result with `scan`'s exit-code semantics.
public struct AuditReport: Codable, Sendable, Equatable {
  /// Rows, soonest expiry first.
  public var rows: [AuditRow]
  /// Listeners or load balancers that could not be read.
  public var errors: [String]

  /// 0 all fine; 1 warning window or read errors; 2 expired or critical window; 3 nothing could be scanned.
  public var exitCode: Int32 {
    if rows.isEmpty && !errors.isEmpty { return 3 }
    if rows.contains(where: { $0.status == "expired" || $0.status == "critical" }) { return 2 }
    if !errors.isEmpty || rows.contains(where: { $0.status == "warning" || $0.status == "unknown" }) { return 1 }
    return 0
  }

  /// Row counts per status.
  public var counts: [String: Int] {
    var result: [String: Int] = [:]
    for row in rows { result[row.status, default: 0] += 1 }
    return result
  }
}
