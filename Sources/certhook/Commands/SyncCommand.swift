import ArgumentParser
import CertHookCore
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
      pending.
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

  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func validate() throws {
    if detailedExitCode, !dryRun { throw ValidationError("--detailed-exitcode needs --dry-run") }
  }

  func run() async throws {
    let progress = ProgressLine()
    let result: SyncResult
    do {
      result = try await LifecycleSession.with(cloud: cloud, options: lifecycle, requireConfiguration: true, progress: progress) {
        run in
        guard let configuration = run.configuration?.configuration else {
          throw CertHookError.configuration(path: "", message: "no configuration file")
        }
        let unknown = only.filter { name in !configuration.deployments.contains { $0.name == name } }
        guard unknown.isEmpty else {
          throw CertHookError.invalidArgument("--deployment \(unknown.joined(separator: ", ")): not in the configuration")
        }
        return await SyncRunner(configuration: configuration, context: run.context).run(dryRun: dryRun, only: only)
      }
    } catch {
      progress.finish()
      throw LifecycleExit.fail(error, json: json)
    }
    progress.finish()
    try BatchOutput.finish(
      report: result.report, plans: result.plans, result: result, command: "sync", json: json,
      detailedExitCode: detailedExitCode)
  }
}
