import ArgumentParser
import CertHookCore
import CertificateKit
import Foundation

/// `certhook deploy-hook`: called by an ACME client after renewal; deploys the certificate to every matching
/// deployment's listeners.
struct DeployHookCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deploy-hook",
    abstract: "Deploy a renewed certificate: called by certbot, acme.sh or lego, or with --cert/--key.",
    discussion: """
      Detects the caller from its environment: certbot (RENEWED_LINEAGE), lego v4 (LEGO_CERT_PATH) and v5 \
      (LEGO_HOOK_*), acme.sh (CERT_PATH, CERT_KEY_PATH... or --acme-sh DOMAIN KEY CERT CA FULLCHAIN), or \
      explicit --cert/--key. Inspects the certificate first and refuses, touching nothing, when it is unusable.

      Exit status: 0 every target listener serves the certificate; 1 at least one listener failed (the others \
      were updated); 2 the certificate was refused (nothing changed); 3 no deployment matches; 64 usage or \
      configuration error; 124 the --timeout elapsed. Notifications (`notify:`) and --metrics-file come after the \
      outcome (outside --timeout, bounded by notify.timeout and notify.retries) and never change the exit status.
      """)

  @Option(help: "Stop after this many seconds, 0.01 to 86400 (default: the configuration's timeouts.hook, 110).")
  var timeout: Double?

  @Flag(name: .customLong("dry-run"), help: "Print the plan and run the API's DryRun prechecks; change nothing.")
  var dryRun = false

  @OptionGroup var output: OutputOptions

  /// True with `--json` or `--format json`.
  var json: Bool { output.isJSON }

  @Option(help: "Certificate file (explicit mode, instead of the ACME client's environment).")
  var cert: String?

  @Option(help: "Private key file (explicit mode).")
  var key: String?

  @Option(help: "Chain file (explicit mode).")
  var chain: String?

  @Option(
    name: .customLong("acme-sh"), parsing: .upToNextOption,
    help: "acme.sh deploy-hook arguments: DOMAIN KEY CERT CA FULLCHAIN.")
  var acmeSh: [String] = []

  @OptionGroup var metrics: MetricsOptions
  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func validate() throws {
    if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
    if let timeout, !TimeoutSettings.hookRange.contains(timeout) {
      throw ValidationError(
        "--timeout must be between \(TimeoutSettings.hookRange.lowerBound) and \(Int(TimeoutSettings.hookRange.upperBound)) "
          + "seconds, got \(timeout)")
    }
    if cert != nil, key == nil { throw ValidationError("--cert needs --key") }
    if key != nil || chain != nil, cert == nil { throw ValidationError("--key and --chain need --cert") }
    if cert != nil, !acmeSh.isEmpty { throw ValidationError("use either --cert/--key or --acme-sh, not both") }
    if !acmeSh.isEmpty, !(3...5).contains(acmeSh.count) {
      throw ValidationError("--acme-sh takes DOMAIN KEY CERT [CA [FULLCHAIN]], got \(acmeSh.count) value(s)")
    }
  }

  func run() async throws {
    let started = Date()
    let environment = ProcessInfo.processInfo.environment
    var loaded: LoadedConfiguration?
    var invocation: HookInvocation?
    let result: DeployHookResult
    let api: APIUsage
    var fleet: FleetSyncResult?
    var groupMetrics: [(placement: TargetPlacement, api: APIUsage)] = []
    do {
      let detected = try detect(environment: environment)
      invocation = detected
      // Read once: the time limit comes from it, and the session below uses the same copy.
      loaded = try ConfigurationLoader.load(explicitPath: lifecycle.config, environment: environment, required: true)
      let limit = timeout ?? loaded?.configuration.timeouts.hook ?? 110
      let (cloud, lifecycle, dryRun, preloaded) = (self.cloud, self.lifecycle, self.dryRun, loaded)
      let progress = ProgressLine()
      defer { progress.finish() }
      if let loaded, loaded.configuration.spansPlacements() {
        // Targets in several accounts or regions: one session per (account, region), as `sync` does.
        let sessions = LifecycleSession.fleet(
          cloud: cloud, lifecycle: lifecycle, loaded: loaded, environment: environment, progress: progress,
          stop: SignalTrap.install())
        let runner = FleetRunner(configuration: loaded.configuration, sessions: sessions)
        let outcome = try await Deadline.run(
          seconds: limit, grace: 2, what: "the deploy hook (--timeout)",
          hint: "changes already applied stay applied, the next `certhook sync` finishes the job"
        ) { try await runner.deployHook(detected, inspection: sessions.hookInspection(), dryRun: dryRun) }
        (fleet, result) = (outcome.fleet, outcome.merged)
        groupMetrics = await sessions.apiUsage
        api = await sessions.totalAPIUsage
      } else {
      (result, api) = try await Deadline.run(
        seconds: limit, grace: 2, what: "the deploy hook (--timeout)",
        hint: "changes already applied stay applied, the next `certhook sync` finishes the job"
      ) {
        try await LifecycleSession.with(
          cloud: cloud, options: lifecycle, requireConfiguration: true, progress: progress, preloaded: preloaded
        ) { run in
          guard let configuration = run.configuration?.configuration else {
            throw CertHookError.configuration(path: "", message: "no configuration file")
          }
          let result = try await DeployHookRunner(configuration: configuration, context: run.context)
            .run(detected, dryRun: dryRun)
          return (result, await run.metrics())
        }
      }
      }
    } catch {
      await failed(error, configuration: loaded?.configuration, certificate: invocation?.certificatePath, started: started)
      throw LifecycleExit.fail(error, json: json)
    }
    let title = "\(result.invocation.client.rawValue): \(result.invocation.certificatePath) -> deployment(s) "
      + result.deployments.joined(separator: ", ")
    let epilogue = RunEpilogue(
      command: "deploy-hook", configuration: loaded?.configuration, metricsFile: metrics.metricsFile, started: started)
    let deliveries = await epilogue.finish(
      events: NotificationEvents.from(
        report: result.report, plans: result.plans, deployments: result.deployments, now: Date(), policy: CheckPolicy()),
      exitCode: BatchOutput.status(for: result.report),
      deployments: RunMetrics.deployments(from: result.report, names: result.deployments), api: api,
      placements: FleetJSON.metrics(fleet, api: groupMetrics))
    try BatchOutput.finish(
      report: result.report, plans: result.plans, result: result, command: "deploy-hook", json: json, title: title,
      notifications: deliveries, groups: fleet.map { FleetJSON.summary($0) } ?? "")
  }

  /// A hook that ended with an error other than a usage error: a refused certificate is `certificateRefused`,
  /// anything else `deploymentFailed`; the metrics record the hook (deployment "") as failed.
  private func failed(
    _ error: any Error, configuration: CertHookConfiguration?, certificate: String?, started: Date
  ) async {
    let status = LifecycleExit.code(for: error)
    guard status != LifecycleExit.usage, let configuration else { return }
    let event: NotificationEvent
    if case CertHookError.refused(let reasons) = error {
      event = NotificationEvents.refused(reasons: reasons, certificate: certificate, deployments: [])
    } else {
      let text = "\(error)"
      event = NotificationEvents.from(
        report: DeploymentReport(dryRun: dryRun, errors: [text]), plans: [], deployments: [], now: Date(),
        policy: CheckPolicy()
      ).first ?? NotificationEvent(kind: .deploymentFailed, message: text)
    }
    var withCertificate = event
    withCertificate.certificate = withCertificate.certificate ?? certificate
    let epilogue = RunEpilogue(
      command: "deploy-hook", configuration: configuration, metricsFile: metrics.metricsFile, started: started)
    _ = await epilogue.finish(
      events: [withCertificate], exitCode: status,
      deployments: [RunMetrics.DeploymentRun(name: "", succeeded: false)], api: nil)
  }

  private func detect(environment: [String: String]) throws -> HookInvocation {
    if let cert {
      return .explicit(certificatePath: cert, keyPath: key, chainPath: chain)
    }
    if !acmeSh.isEmpty {
      return try HookInvocation.detect(environment: [:], arguments: acmeSh)
    }
    return try HookInvocation.detect(environment: environment, arguments: [])
  }
}
