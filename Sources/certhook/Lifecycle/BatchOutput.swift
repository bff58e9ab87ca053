import ArgumentParser
import CertHookCore
import Foundation

/// Prints a batch command's result (text or JSON) and ends with its exit code.
enum BatchOutput {
  /// Renders `report` (with the plan in JSON) and throws `ExitCode(1)` when any listener failed.
  static func finish<Plan: Encodable>(
    report: DeploymentReport, plan: Plan, command: String, json: Bool, title: String? = nil
  ) throws {
    let status = LifecycleExit.code(for: report)
    if json {
      LifecycleJSON.print(LifecycleDocument(command: command, exitCode: status, result: plan))
    } else {
      FileHandle.standardOutput.write(Data(ReportText.report(report, title: title).utf8))
    }
    let failed = report.listeners.filter { $0.outcome == .failed }.map(\.listenerId)
    if !failed.isEmpty {
      Diagnostics.error(
        "\(failed.count) of \(report.listeners.count) listener(s) failed: \(failed.joined(separator: ", "))"
          + " (the others were done; old certificates stay in place where a change failed)")
    }
    for error in report.errors { Diagnostics.error(error) }
    if status != 0 { throw ExitCode(status) }
  }

  /// Renders an `attach`/`detach` result.
  static func finish(_ result: BatchResult, command: String, json: Bool) throws {
    try finish(report: result.report, plan: result, command: command, json: json)
  }
}
