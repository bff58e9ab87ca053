import Foundation

extension AuditReport {
  /// One audit over several accounts and regions: every placement's rows together, each error prefixed with its
  /// placement; a placement that gave no report adds its reason as an error.
  public static func merging(
    _ parts: [(placement: TargetPlacement, outcome: Result<AuditReport, PlacementFailure>)]
  ) -> AuditReport {
    var rows: [AuditRow] = []
    var errors: [String] = []
    for part in parts {
      switch part.outcome {
      case .success(let report):
        rows += report.rows
        errors += report.errors.map { "[\(part.placement)] \($0)" }
      case .failure(let failure): errors.append(failure.description)
      }
    }
    return AuditReport(rows: rows, errors: errors)
  }
}
