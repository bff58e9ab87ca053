import ArgumentParser
import CertHookCore
import CertificateKit
import Foundation

/// `certhook probe`: what clients are actually served, per (listener, domain), by TLS handshake.
struct ProbeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Handshake every (listener, domain) pair and report the certificate actually served.",
    discussion: """
      Selects --listener IDs, the HTTPS/QUIC listeners of --load-balancer, the NLB, GA and CLB listeners of the \
      --nlb-/--ga-/--clb- flags, or the deployments of --config. Domains are the --domain names, else the \
      deployments' domains, else the SANs of the certificates the API lists on the listener. Each pair is one TLS \
      handshake with that SNI name to the load balancer's DNS name (a CLB's address; or the --resolve address) and \
      the listener port (+ --port-offset). Read-only. See docs/probe.md.

      Exit status (as scan): 0 all fine; 1 a certificate inside the warning window, an unreachable pair or a read \
      error; 2 inside the critical window, expired, not covering the name, not a certificate the API lists on the \
      listener, or an untrusted chain; 3 nothing reachable; 64 usage error.
      """)

  @Option(name: .customLong("listener"), help: "Listener ID (repeatable).")
  var listeners: [String] = []

  @Option(name: .customLong("load-balancer"), help: "Load balancer ID (repeatable).")
  var loadBalancers: [String] = []

  @Option(name: .customLong("domain"), help: "SNI name to probe (repeatable).")
  var domains: [String] = []

  @Option(name: .customLong("warn-days"), help: "Warn when the served certificate expires within this many days.")
  var warnDays = 30

  @Option(name: .customLong("critical-days"), help: "Critical when the served certificate expires within this many days.")
  var criticalDays = 7

  @Option(help: "Output format: table, json or prometheus (node-exporter textfile).")
  var format: ScanFormat = .table

  @OptionGroup var products: ProductTargetOptions

  /// Every selected listener as an engine key.
  private func selectedListeners() throws -> [String] {
    try ProductTargetOptions.listenerKeys(listeners) + products.listenerKeys()
  }

  /// Every selected load balancer as an engine key.
  private func selectedLoadBalancers() throws -> [String] {
    try ProductTargetOptions.loadBalancerKeys(loadBalancers) + products.loadBalancerKeys()
  }

  @OptionGroup var probe: ProbeOptions
  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func validate() throws {
    try ExpiryWindowOptions.check(warnDays: warnDays, criticalDays: criticalDays, now: nil)
    let (listeners, loadBalancers) = (try selectedListeners(), try selectedLoadBalancers())
    let selectors = (listeners.isEmpty ? 0 : 1) + (loadBalancers.isEmpty ? 0 : 1)
    if selectors == 0 && lifecycle.config == nil {
      throw ValidationError("name what to probe: --listener ID, --load-balancer ID or --config FILE")
    }
    for id in domains where id.isEmpty {
      throw ValidationError("--domain must not be empty")
    }
  }

  func run() async throws {
    let policy = CheckPolicy(warningDays: warnDays, criticalDays: criticalDays)
    let (report, now): (ProbeReport, Date)
    do {
      let (listeners, loadBalancers) = (try selectedListeners(), try selectedLoadBalancers())
      (report, now) = try await LifecycleSession.with(
        cloud: cloud, options: lifecycle, requireConfiguration: lifecycle.config != nil, checkPolicy: policy
      ) { run in
        let runner = try probe.runner(run.context)
        let selection: ProbeSelection
        if listeners.isEmpty, loadBalancers.isEmpty, let configuration = run.configuration?.configuration {
          selection = .configuration(configuration, domains: domains)
        } else {
          selection = .selectors(listeners: listeners, loadBalancers: loadBalancers, domains: domains)
        }
        return (await runner.run(selection), run.context.now)
      }
    } catch {
      let status = LifecycleExit.code(for: error)
      Diagnostics.error(LifecycleExit.message(for: error))
      throw ExitCode(status == LifecycleExit.usage ? status : 3)
    }
    switch format {
    case .json: FileHandle.standardOutput.write(Data(ProbeOutput.json(report, now: now).utf8))
    case .prometheus: FileHandle.standardOutput.write(Data(ProbeOutput.prometheus(report).utf8))
    case .table:
      let style = TerminalStyle(isTerminal: isatty(1) == 1, environment: ProcessInfo.processInfo.environment)
      FileHandle.standardOutput.write(Data(ProbeOutput.table(report, style: style).utf8))
      for error in report.errors { Diagnostics.error(error) }
    }
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }
}
