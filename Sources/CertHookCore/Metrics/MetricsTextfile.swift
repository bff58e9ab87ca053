import Foundation

/// The metrics textfile of `--metrics-file`: renders a run's `RunMetrics` merged with the file's previous content,
/// so one file outlives single runs. Every series carries `command`. Rules of the merge:
/// - a deployment this run did not cover keeps its previous series (a `--deployment` run drops no other);
/// - a failed deployment keeps its previous `certhook_last_success_timestamp_seconds`;
/// - counters (`_total`) add this run's counts to the previous values (a counter restarts only when the file is
///   removed, which Prometheus treats as a counter reset);
/// - series of another command are kept as they were.
public enum MetricsTextfile {
  /// The families written, in file order.
  public static let families: [ExpositionFormat.Family] = [
    .init(name: "certhook_last_run_timestamp_seconds", type: "gauge", help: "When the command last ran for the deployment, Unix seconds."),
    .init(name: "certhook_last_success_timestamp_seconds", type: "gauge", help: "When the command last ran without a failure for the deployment, Unix seconds."),
    .init(name: "certhook_last_run_success", type: "gauge", help: "1 when the last run of the command succeeded for the deployment, else 0."),
    .init(name: "certhook_listeners", type: "gauge", help: "Listeners of the deployment by outcome in the last run."),
    .init(name: "certhook_api_requests_total", type: "counter", help: "API requests sent (every attempt) by action and result code (OK, an API error code, or a failure kind)."),
    .init(name: "certhook_api_retries_total", type: "counter", help: "API requests that were retries, by action."),
    .init(name: "certhook_run_duration_seconds", type: "gauge", help: "Wall time of the last run of the command."),
    .init(name: "certhook_notifications_failed", type: "gauge", help: "Notifiers that could not be reached in the last run."),
    .init(name: "certhook_account_run_success", type: "gauge", help: "1 when the last run of the command succeeded in the account and region (accounts:), else 0."),
    .init(name: "certhook_account_listeners", type: "gauge", help: "Listeners in the account and region by outcome in the last run."),
    .init(name: "certhook_account_api_requests", type: "gauge", help: "API requests the last run sent in the account and region (every attempt)."),
    .init(name: "certhook_certificate_expiry_timestamp_seconds", type: "gauge", help: "notAfter of the certificate a listener serves, per domain it covers, Unix seconds (audit)."),
  ]

  static let perDeployment: Set<String> = [
    "certhook_last_run_timestamp_seconds", "certhook_last_success_timestamp_seconds", "certhook_last_run_success",
    "certhook_listeners",
  ]

  /// The file's new content: `run` merged with `previous` (the old file's text, nil when there was none or it
  /// could not be parsed).
  public static func render(_ run: RunMetrics, previous: String?) -> String {
    var current = samples(of: run)
    let covered = Set(run.deployments.map(\.name))
    let old = previous.flatMap { try? ExpositionFormat.parse($0) }?.samples ?? []
    var indexByKey: [String: Int] = [:]
    for (index, sample) in current.enumerated() { indexByKey[sample.seriesKey] = index }
    for sample in old where families.contains(where: { $0.name == sample.name }) {
      let sameCommand = sample.label("command") == run.command
      if !sameCommand {
        current.append(sample)
        continue
      }
      if sample.name.hasSuffix("_total") {
        if let index = indexByKey[sample.seriesKey] {
          current[index].value += sample.value
        } else {
          current.append(sample)
        }
        continue
      }
      guard perDeployment.contains(sample.name), let deployment = sample.label("deployment") else { continue }
      let failedNow = run.deployments.contains { $0.name == deployment && !$0.succeeded }
      if !covered.contains(deployment) || (failedNow && sample.name == "certhook_last_success_timestamp_seconds") {
        current.append(sample)
      }
    }
    let grouped = families.map { family in
      (family, current.filter { $0.name == family.name }.sorted { $0.seriesKey < $1.seriesKey })
    }
    return ExpositionFormat.render(grouped)
  }

  /// This run's own samples.
  static func samples(of run: RunMetrics) -> [MetricSample] {
    let command = ("command", run.command)
    let finished = run.finishedAt.timeIntervalSince1970
    var out: [MetricSample] = []
    for deployment in run.deployments {
      let labels = [command, ("deployment", deployment.name)]
      out.append(MetricSample(name: "certhook_last_run_timestamp_seconds", labels: labels, value: finished))
      if deployment.succeeded {
        out.append(MetricSample(name: "certhook_last_success_timestamp_seconds", labels: labels, value: finished))
      }
      out.append(MetricSample(name: "certhook_last_run_success", labels: labels, value: deployment.succeeded ? 1 : 0))
      // A run without deployments (audit) has no listener outcomes to count.
      for outcome in ListenerOutcome.Outcome.allCases where !deployment.name.isEmpty {
        out.append(
          MetricSample(
            name: "certhook_listeners", labels: labels + [("outcome", outcome.rawValue)],
            value: Double(deployment.listeners[outcome] ?? 0)))
      }
    }
    for (action, codes) in run.apiRequests {
      for (code, count) in codes {
        out.append(
          MetricSample(
            name: "certhook_api_requests_total", labels: [command, ("action", action), ("code", code)],
            value: Double(count)))
      }
    }
    for (action, count) in run.retries {
      out.append(MetricSample(name: "certhook_api_retries_total", labels: [command, ("action", action)], value: Double(count)))
    }
    out.append(MetricSample(name: "certhook_run_duration_seconds", labels: [command], value: run.durationSeconds))
    out.append(MetricSample(name: "certhook_notifications_failed", labels: [command], value: Double(run.notificationsFailed)))
    for placement in run.placements {
      let labels = [command, ("account", placement.account), ("region", placement.region)]
      out.append(MetricSample(name: "certhook_account_run_success", labels: labels, value: placement.succeeded ? 1 : 0))
      for outcome in ListenerOutcome.Outcome.allCases {
        out.append(
          MetricSample(
            name: "certhook_account_listeners", labels: labels + [("outcome", outcome.rawValue)],
            value: Double(placement.listeners[outcome] ?? 0)))
      }
      out.append(MetricSample(name: "certhook_account_api_requests", labels: labels, value: Double(placement.apiRequests)))
    }
    var seen = Set<String>()
    for expiry in run.expiries {
      let sample = MetricSample(
        name: "certhook_certificate_expiry_timestamp_seconds",
        labels: [
          command, ("product", ListenerProduct(key: expiry.listener).rawValue), ("load_balancer", expiry.loadBalancer),
          ("listener", expiry.listener), ("certificate", expiry.certificate), ("domain", expiry.domain),
        ], value: expiry.notAfter.timeIntervalSince1970)
      if seen.insert(sample.seriesKey).inserted { out.append(sample) }
    }
    return out
  }
}
