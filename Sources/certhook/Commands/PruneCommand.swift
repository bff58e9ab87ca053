import ArgumentParser
import CertHookCore
import Foundation

/// `certhook prune`: retire expired certificates that a valid one covers, delete expired unused certhook uploads.
struct PruneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prune",
    abstract: "Dissociate expired certificates a valid one covers; delete expired CAS uploads certhook made and nothing uses.",
    discussion: """
      Only certificates that are expired AND whose every name a valid certificate on the same listener covers \
      are dissociated; only CAS uploads named by certhook (or recorded in its state) that are expired and on no \
      listener are deleted. --dry-run shows what would go.

      Exit status: 0 done; 1 something failed; 64 usage or configuration error.
      """)

  @Option(
    name: .customLong("load-balancer"),
    help: "Only listeners of this load balancer (alb-…, nlb-…, ga-…, lb-…; repeatable; default all). A CLB named here (or in the configuration's targets) also has its unused certhook server certificates deleted.")
  var loadBalancers: [String] = []

  @Option(
    name: .customLong("product"),
    help: "Products whose listeners may use CAS certificates: alb, nlb, ga, clb (repeatable; default all). Leave one out only when the account has none of it.")
  var products: [String] = []

  @Flag(name: .customLong("dry-run"), help: "Show what would be dissociated and deleted; change nothing.")
  var dryRun = false

  @OptionGroup var output: OutputOptions

  /// True with `--json` or `--format json`.
  var json: Bool { output.isJSON }

  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func validate() throws {
    for name in products where ListenerProduct(rawValue: name.lowercased()) == nil {
      throw ValidationError("--product must be alb, nlb, ga or clb, got '\(name)'")
    }
    if !products.isEmpty, !products.contains(where: { $0.lowercased() == "alb" }) {
      throw ValidationError("--product: alb is always read (prune starts from ALB's listeners)")
    }
    _ = try ProductTargetOptions.loadBalancerKeys(loadBalancers)
  }

  func run() async throws {
    let chosen = products.isEmpty ? ListenerProduct.allCases : products.compactMap { ListenerProduct(rawValue: $0.lowercased()) }
    let balancers = try ProductTargetOptions.loadBalancerKeys(loadBalancers)
    let progress = ProgressLine()
    let report: PruneReport
    do {
      report = try await LifecycleSession.with(cloud: cloud, options: lifecycle, requireConfiguration: false, progress: progress) {
        run in
        var runner = PruneRunner(
          context: run.context,
          clb: chosen.contains(.clb)
            ? CLBPruneScope.of(run.context.backend, configuration: run.configuration?.configuration, selected: balancers)
            : nil)
        runner.products = chosen.filter { $0 != .clb }
        return await runner.run(loadBalancerIds: balancers, dryRun: dryRun)
      }
    } catch {
      progress.finish()
      throw LifecycleExit.fail(error, json: json)
    }
    progress.finish()
    let status = SignalTrap.exitStatus ?? (report.hasFailures ? LifecycleExit.failure : LifecycleExit.success)
    if json {
      LifecycleJSON.print(LifecycleDocument(command: "prune", exitCode: status, result: report))
    } else {
      FileHandle.standardOutput.write(Data(PruneText.render(report).utf8))
    }
    for error in report.errors { Diagnostics.error(error) }
    if status != 0 { throw ExitCode(status) }
  }
}
