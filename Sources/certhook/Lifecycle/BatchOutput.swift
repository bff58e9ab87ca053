import ArgumentParser
import CertHookCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Prints a batch command's result (grouped text or JSON) and ends with its exit code.
enum BatchOutput {
  /// Renders `report` grouped by `plans` (JSON: `result`, with the action counts as `summary`) and throws the exit
  /// code: 1 when any listener failed; with `detailedExitCode` (a dry run) 2 when changes are pending. The
  /// `notifications` (already sent) are listed in the summary and never change the code.
  static func finish<Result: Encodable>(
    report: DeploymentReport, plans: [DeploymentPlan], result: Result, command: String, json: Bool,
    title: String? = nil, detailedExitCode: Bool = false, notifications: [NotificationDelivery] = [],
    groups: String = ""
  ) throws {
    let counts = ActionCounts(report)
    let status = status(for: report, detailedExitCode: detailedExitCode)
    if json {
      LifecycleJSON.print(
        LifecycleDocument(
          command: command, exitCode: status, result: result, summary: counts,
          notifications: notifications.isEmpty ? nil : notifications))
    } else {
      let style = TerminalStyle(isTerminal: isatty(1) == 1, environment: ProcessInfo.processInfo.environment)
      let text = PlanText.render(report, plans: plans, title: title, style: style)
      FileHandle.standardOutput.write(Data((text + groups + RunEpilogue.summary(notifications)).utf8))
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
  /// The exit code `finish` ends with for `report` (computed first so notifications can carry it).
  static func status(for report: DeploymentReport, detailedExitCode: Bool = false) -> Int32 {
    var status = LifecycleExit.code(for: report)
    if detailedExitCode, status == LifecycleExit.success, ActionCounts(report).pending { status = LifecycleExit.changesPending }
    return status
  }

  static func finish(_ result: BatchResult, command: String, json: Bool) throws {
    try finish(report: result.report, plans: [result.plan], result: result, command: command, json: json)
  }
}
