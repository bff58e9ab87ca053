import ArgumentParser
import CertHookCore
import CertificateKit
import Foundation

/// `certhook audit`: the remote expiry scan of every certificate on the selected listeners.
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Report every certificate on ALB listeners with its domains and expiry (scan's formats and exit codes).",
    discussion: """
      Selects the HTTPS/QUIC listeners of --load-balancer and the --listener IDs; without a selector, the \
      configuration's targets, or every load balancer when there is no configuration. Read-only.

      Exit status (monitoring convention, as scan): 0 all fine; 1 a certificate inside the warning window or \
      unknown, or read errors; 2 expired or inside the critical window; 3 nothing could be scanned; 64 usage error. \
      Certificates inside the warning window are sent to the configuration's `notify:` receivers; --metrics-file \
      writes their expiry per listener and domain (docs/metrics.md). Neither changes the exit status.
      """)

  @Option(name: .customLong("load-balancer"), help: "Load balancer ID (repeatable).")
  var loadBalancers: [String] = []

  @Option(name: .customLong("listener"), help: "Listener ID (repeatable).")
  var listeners: [String] = []

  @OptionGroup var products: ProductTargetOptions

  /// Every selected listener as an engine key.
  private func selectedListeners() throws -> [String] {
    try ProductTargetOptions.listenerKeys(listeners) + products.listenerKeys()
  }

  /// Every selected load balancer as an engine key.
  private func selectedLoadBalancers() throws -> [String] {
    try ProductTargetOptions.loadBalancerKeys(loadBalancers) + products.loadBalancerKeys()
  }

  @OptionGroup var report: ExpiryReportOptions

  /// The format chosen by `--format` or `--json` (default table).
  var format: ScanFormat { report.format }
  /// True with `--json` or `--format json`.
  var json: Bool { report.json }

  @Flag(name: .customLong("probe"), help: "Also handshake every listener and show for which names each certificate is served.")
  var probeServing = false

  @OptionGroup var probe: ProbeOptions
  @OptionGroup var metrics: MetricsOptions
  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func validate() throws {
    try report.check(now: nil)
    _ = try selectedListeners() + selectedLoadBalancers()
  }

  func run() async throws {
    let started = Date()
    let policy = report.policy
    let (report, served, now, api, configuration): (AuditReport, ProbeReport?, Date, APIUsage, CertHookConfiguration?)
    do {
      let environment = ProcessInfo.processInfo.environment
      let loaded = try ConfigurationLoader.load(explicitPath: lifecycle.config, environment: environment, required: false)
      let (listeners, loadBalancers) = (try selectedListeners(), try selectedLoadBalancers())
      if let loaded, loadBalancers.isEmpty, listeners.isEmpty, loaded.configuration.spansPlacements() {
        // accounts:/regions in the configuration: every (account, region) on its own session, at the same time.
        let sessions = LifecycleSession.fleet(cloud: cloud, lifecycle: lifecycle, loaded: loaded, checkPolicy: policy)
        let options = self.probe
        var makeProbe: (@Sendable (RunnerContext) throws -> ProbeRunner)?
        if probeServing { makeProbe = { @Sendable context in try options.runner(context) } }
        let (audit, probed) = await FleetStatus.audit(sessions: sessions, probe: makeProbe)
        let total = await sessions.totalAPIUsage
        (report, served, now, api, configuration) = (audit, probed, Date(), total, loaded.configuration)
      } else {
      (report, served, now, api, configuration) = try await LifecycleSession.with(
        cloud: cloud, options: lifecycle, requireConfiguration: false, checkPolicy: policy, environment: environment,
        preloaded: loaded, trapsSignals: false
      ) { run in
        let selection = AuditSelection(
          loadBalancers: loadBalancers, listeners: listeners, configuration: run.configuration?.configuration)
        let audit = await selection.run(AuditRunner(context: run.context))
        let served = probeServing ? await AuditProbe(runner: try probe.runner(run.context)).run(audit) : nil
        return (audit, served, run.context.now, await run.metrics(), run.configuration?.configuration)
      }
      }
    } catch {
      let status = LifecycleExit.code(for: error)
      Diagnostics.error(LifecycleExit.message(for: error))
      if status != LifecycleExit.usage {
        // Nothing could be scanned: the metrics say the audit failed (last success stays what it was).
        _ = await RunEpilogue(command: "audit", configuration: nil, metricsFile: metrics.metricsFile, started: started)
          .finish(events: [], exitCode: 3, deployments: [.init(name: "", succeeded: false)], api: nil)
      }
      throw ExitCode(status == LifecycleExit.usage ? status : 3)
    }
    let code = served.map { AuditProbe.exitCode(audit: report, probe: $0) } ?? report.exitCode
    let deliveries = await RunEpilogue(
      command: "audit", configuration: configuration, metricsFile: metrics.metricsFile, started: started
    ).finish(
      events: NotificationEvents.from(audit: report), exitCode: code,
      deployments: [.init(name: "", succeeded: report.errors.isEmpty)],
      api: api, expiries: RunMetrics.expiries(from: report))
    switch format {
    case .json: FileHandle.standardOutput.write(Data(AuditOutput.json(report, now: now, probe: served).utf8))
    case .prometheus:
      FileHandle.standardOutput.write(Data(AuditOutput.prometheus(report, now: now).utf8))
      if let served { FileHandle.standardOutput.write(Data(ProbeOutput.prometheus(served).utf8)) }
    case .table:
      let style = TerminalStyle(isTerminal: isatty(1) == 1, environment: ProcessInfo.processInfo.environment)
      FileHandle.standardOutput.write(Data(AuditOutput.table(report, style: style, probe: served).utf8))
      for error in report.errors { Diagnostics.error(error) }
      for result in served?.results ?? [] where result.status != "ok" && result.status != "warning" {
        Diagnostics.warning(
          "\(result.target.listenerId) \(result.target.domain): \(result.status)"
            + (result.error.map { ": \($0)" } ?? result.listedCertificateId.map { " (served \($0))" } ?? " (served a certificate the API does not list)"))
      }
    }
    if format == .table { FileHandle.standardOutput.write(Data(RunEpilogue.summary(deliveries).utf8)) }
    if code != 0 { throw ExitCode(code) }
  }
}
