import CertHookCore
import CertificateKit
import Foundation

/// What happens after a run's outcome (and exit code) is known: the configured notifiers are told, all at once and
/// bounded by `notify.timeout`/`notify.retries`, and `--metrics-file` is rewritten. Neither can change the exit
/// code: a notifier that fails or a metrics file that cannot be written is reported on stderr (and in the JSON
/// document's `notifications`), nothing more.
struct RunEpilogue {
  /// `sync`, `deploy-hook` or `audit`.
  let command: String
  /// The configuration (its `notify:`), when one was loaded.
  let configuration: CertHookConfiguration?
  /// `--metrics-file`, when given.
  let metricsFile: String?
  /// When the command started (for the duration).
  let started: Date
  /// The process environment (signing secrets named by `secretEnv`).
  var environment: [String: String] = ProcessInfo.processInfo.environment

  /// Notifies, writes the metrics file and prints what failed; returns the deliveries for the summary.
  func finish(
    events: [NotificationEvent], exitCode: Int32, deployments: [RunMetrics.DeploymentRun], api: APIUsage?,
    expiries: [RunMetrics.CertificateExpiry] = [], placements: [RunMetrics.PlacementRun] = []
  ) async -> [NotificationDelivery] {
    let deliveries = await notify(events: events, exitCode: exitCode)
    for delivery in deliveries where !delivery.delivered { Diagnostics.warning(delivery.summaryLine) }
    if let metricsFile {
      var run = RunMetrics(
        command: command, finishedAt: Date(), durationSeconds: Date().timeIntervalSince(started),
        deployments: deployments, apiRequests: api?.requests ?? [:], retries: api?.retries ?? [:],
        expiries: expiries, notificationsFailed: deliveries.filter { !$0.delivered }.count)
      run.placements = placements
      do {
        try MetricsFile.write(run, to: metricsFile)
      } catch {
        Diagnostics.error("\(error) (the run's outcome is unchanged)")
      }
    }
    return deliveries
  }

  private func notify(events: [NotificationEvent], exitCode: Int32) async -> [NotificationDelivery] {
    await RunNotifications.deliver(
      configuration: configuration, command: command, host: ProcessInfo.processInfo.hostName, exitCode: exitCode,
      events: events, environment: environment, warn: { Diagnostics.warning($0) })
  }

  /// The printed lines of the deliveries (text output), one per notifier.
  static func summary(_ deliveries: [NotificationDelivery]) -> String {
    deliveries.map { $0.summaryLine + "\n" }.joined()
  }
}
