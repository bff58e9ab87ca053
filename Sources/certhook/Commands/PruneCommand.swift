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

  @Option(name: .customLong("load-balancer"), help: "Only listeners of this load balancer (repeatable; default all).")
  var loadBalancers: [String] = []

  @Flag(name: .customLong("dry-run"), help: "Show what would be dissociated and deleted; change nothing.")
  var dryRun = false

  @OptionGroup var output: OutputOptions

  /// True with `--json` or `--format json`.
  var json: Bool { output.isJSON }

  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func run() async throws {
    let progress = ProgressLine()
    let report: PruneReport
    do {
      report = try await LifecycleSession.with(cloud: cloud, options: lifecycle, requireConfiguration: false, progress: progress) {
        run in
        await PruneRunner(context: run.context).run(loadBalancerIds: loadBalancers, dryRun: dryRun)
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
