import ArgumentParser
import Foundation

/// Checks shared by `scan` and `inspect`: day windows and the hidden `--now`.
enum ExpiryWindowOptions {
  static func check(warnDays: Int, criticalDays: Int, now: String?) throws {
    guard criticalDays >= 0 else { throw ValidationError("--critical-days must be 0 or more") }
    guard warnDays >= criticalDays else {
      throw ValidationError("--warn-days (\(warnDays)) must be at least --critical-days (\(criticalDays))")
    }
    if let now, RFC3339.parse(now) == nil {
      throw ValidationError("--now must be an RFC 3339 time such as 2027-01-02T03:04:05Z, got '\(now)'")
    }
  }
}
