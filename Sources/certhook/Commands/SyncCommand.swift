import ArgumentParser
import CertHookCore
import CertificateKit
import Foundation

/// `certhook sync`: converge every deployment of the configuration; a no-op (no API writes) when all is well.
struct SyncCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract: "Converge every deployment: the newest valid certificate on all its targets. Safe to run from a timer.",
    discussion: """
      For each deployment, certhook takes the certificate from its source (or, without a source, the newest \
      valid CAS certificate covering its domains) and plans every target. A second run right after the first \
      makes no API writes.

      Exit status: 0 converged; 1 a listener or deployment failed; 64 usage or configuration error. With \
      --dry-run --detailed-exitcode (as terraform plan): 0 converged, nothing to change; 1 an error; 2 changes \
      pending. Notifications (`notify:` in the configuration) and --metrics-file are written after the outcome \
      is known and never change the exit status (docs/notifications.md, docs/metrics.md).
      """)

  @Flag(name: .customLong("dry-run"), help: "Print the plans and run the API's DryRun prechecks; change nothing.")
  var dryRun = false

  @Flag(
    name: .customLong("detailed-exitcode"),
    help: "With --dry-run: exit 0 when converged, 2 when changes are pending, 1 on errors (as terraform plan).")
  var detailedExitCode = false

  @OptionGroup var output: OutputOptions

  /// True with `--json` or `--format json`.
  var json: Bool { output.isJSON }

  @Option(name: .customLong("deployment"), help: "Only this deployment (repeatable).")
  var only: [String] = []

  @OptionGroup var metrics: MetricsOptions
  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func validate() throws {
    if detailedExitCode, !dryRun { throw ValidationError("--detailed-exitcode needs --dry-run") }
  }

  func run() async throws {
    let started = Date()
    let environment = ProcessInfo.processInfo.environment
    let progress = ProgressLine()
    var loaded: LoadedConfiguration?
    let result: SyncResult
    let api: APIUsage
    var fleet: FleetSyncResult?
    var groupMetrics: [(placement: TargetPlacement, api: APIUsage)] = []
    do {
      loaded = try ConfigurationLoader.load(explicitPath: lifecycle.config, environment: environment, required: true)
      if let loaded, loaded.configuration.spansPlacements(only: only) {
        try checkOnly(loaded.configuration)
        let sessions = LifecycleSession.fleet(
          cloud: cloud, lifecycle: lifecycle, loaded: loaded, environment: environment, progress: progress,
          stop: SignalTrap.install())
        let runner = FleetRunner(configuration: loaded.configuration, sessions: sessions)
        let outcome = await runner.sync(dryRun: dryRun, only: only)
        (fleet, result) = (outcome, outcome.merged)
        groupMetrics = await sessions.apiUsage
        api = await sessions.totalAPIUsage
      } else {
      (result, api) = try await LifecycleSession.with(
        cloud: cloud, options: lifecycle, requireConfiguration: true, progress: progress, environment: environment,
        preloaded: loaded
      ) { run in
        guard let configuration = run.configuration?.configuration else {
          throw CertHookError.configuration(path: "", message: "no configuration file")
        }
        try checkOnly(configuration)
        return (await SyncRunner(configuration: configuration, context: run.context).run(dryRun: dryRun, only: only), await run.metrics())
      }
      }
    } catch {
      progress.finish()
      await failed(error, configuration: loaded?.configuration, started: started)
      throw LifecycleExit.fail(error, json: json)
    }
    progress.finish()
    let names = only.isEmpty ? (loaded?.configuration.deployments.map(\.name) ?? []) : only
    let status = BatchOutput.status(for: result.report, detailedExitCode: detailedExitCode)
    let epilogue = RunEpilogue(
      command: "sync", configuration: loaded?.configuration, metricsFile: metrics.metricsFile, started: started)
    let deliveries = await epilogue.finish(
      events: NotificationEvents.from(
        report: result.report, plans: result.plans, deployments: names, now: Date(), policy: CheckPolicy()),
      exitCode: status, deployments: RunMetrics.deployments(from: result.report, names: names), api: api,
      placements: FleetJSON.metrics(fleet, api: groupMetrics))
    if let fleet {
      try BatchOutput.finish(
        report: result.report, plans: result.plans, result: FleetJSON(fleet), command: "sync", json: json,
        detailedExitCode: detailedExitCode, notifications: deliveries, groups: FleetJSON.summary(fleet))
    } else {
      try BatchOutput.finish(
        report: result.report, plans: result.plans, result: result, command: "sync", json: json,
        detailedExitCode: detailedExitCode, notifications: deliveries)
    }
  }

  /// Every `--deployment` names a deployment of `configuration`.
  private func checkOnly(_ configuration: CertHookConfiguration) throws {
    let unknown = only.filter { name in !configuration.deployments.contains { $0.name == name } }
    guard unknown.isEmpty else {
      throw CertHookError.invalidArgument("--deployment \(unknown.joined(separator: ", ")): not in the configuration")
    }
  }

  /// A run that ended with an error (not a usage error): every selected deployment failed; notify and record it.
  private func failed(_ error: any Error, configuration: CertHookConfiguration?, started: Date) async {
    let status = LifecycleExit.code(for: error)
    guard status != LifecycleExit.usage, let configuration else { return }
    let names = only.isEmpty ? configuration.deployments.map(\.name) : only
    let report = DeploymentReport(dryRun: dryRun, errors: names.map { "\($0): \(error)" })
    let epilogue = RunEpilogue(
      command: "sync", configuration: configuration, metricsFile: metrics.metricsFile, started: started)
    _ = await epilogue.finish(
      events: NotificationEvents.from(report: report, plans: [], deployments: names, now: Date(), policy: CheckPolicy()),
      exitCode: status, deployments: RunMetrics.deployments(from: report, names: names), api: nil)
  }
}
