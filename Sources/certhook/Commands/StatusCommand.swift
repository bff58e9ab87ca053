import ArgumentParser
import CertHookCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `certhook status`: the read-only inventory of every deployment (local certificate, CAS ID, what each target
/// listener serves now) and whether it is converged, pending or failing.
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show every deployment: its certificate, CAS ID, what each target listener serves, and its state.",
    discussion: """
      Read-only: reads the local certificates, CAS and the listeners and plans as `sync --dry-run` would, \
      without sending any write or precheck. A deployment is converged when every target listener already \
      serves its certificate, pending when a `sync` would upload or change something, failing when its \
      certificate is unusable, a target is missing or something could not be read.

      Exit status: 0 every deployment converged; 1 a deployment is failing; 2 changes pending (nothing failing); \
      64 usage or configuration error.
      """)

  @OptionGroup var output: OutputOptions

  @Option(name: .customLong("deployment"), help: "Only this deployment (repeatable).")
  var only: [String] = []

  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func run() async throws {
    let report: StatusReport
    do {
      let environment = ProcessInfo.processInfo.environment
      let loaded = try ConfigurationLoader.load(explicitPath: lifecycle.config, environment: environment, required: true)
      if let loaded, loaded.configuration.spansPlacements(only: only) {
        let unknown = only.filter { name in !loaded.configuration.deployments.contains { $0.name == name } }
        guard unknown.isEmpty else {
          throw CertHookError.invalidArgument("--deployment \(unknown.joined(separator: ", ")): not in the configuration")
        }
        report = await FleetStatus.run(sessions: LifecycleSession.fleet(cloud: cloud, lifecycle: lifecycle, loaded: loaded), only: only)
      } else {
      report = try await LifecycleSession.with(
        cloud: cloud, options: lifecycle, requireConfiguration: true, preloaded: loaded
      ) { run in
        guard let configuration = run.configuration?.configuration else {
          throw CertHookError.configuration(path: "", message: "no configuration file")
        }
        let unknown = only.filter { name in !configuration.deployments.contains { $0.name == name } }
        guard unknown.isEmpty else {
          throw CertHookError.invalidArgument("--deployment \(unknown.joined(separator: ", ")): not in the configuration")
        }
        return await StatusRunner(configuration: configuration, context: run.context).run(only: only)
      }
      }
    } catch {
      throw LifecycleExit.fail(error, json: output.isJSON)
    }
    let status: Int32
    switch report.state {
    case .converged: status = LifecycleExit.success
    case .pending: status = LifecycleExit.changesPending
    case .failing: status = LifecycleExit.failure
    }
    if output.isJSON {
      LifecycleJSON.print(LifecycleDocument(command: "status", exitCode: status, result: report))
    } else {
      let style = TerminalStyle(isTerminal: isatty(1) == 1, environment: ProcessInfo.processInfo.environment)
      FileHandle.standardOutput.write(Data(StatusText.render(report, style: style).utf8))
    }
    if status != 0 { throw ExitCode(status) }
  }
}
