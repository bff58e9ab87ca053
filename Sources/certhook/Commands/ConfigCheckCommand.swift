import ArgumentParser
import CertHookCore
import Foundation

/// `certhook config check`: validates the configuration file offline and, with `--online`, that every target
/// exists and the credentials work. Changes nothing.
struct ConfigCheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Validate the configuration file; with --online also that every target exists and the credentials work.",
    discussion: """
      Offline: the file is found (--config, else CERTHOOK_CONFIG, else /etc/certhook/config.yaml), is at most \
      4 MiB, decodes (errors name the key path), and its source files exist (a warning when not yet). \
      --online also reads every target listener and load balancer and searches CAS once: read-only calls.

      Exit status: 0 valid (warnings may be printed); 64 invalid, a target missing or the credentials refused; \
      1 the cloud could not be reached to check.
      """)

  @Flag(help: "Also check with the cloud: every target exists, the credentials work (read-only calls).")
  var online = false

  @OptionGroup var output: OutputOptions
  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    let result: ConfigurationCheck
    do {
      guard let loaded = try ConfigurationLoader.load(
        explicitPath: lifecycle.config, environment: environment, required: true)
      else {
        throw CertHookError.configuration(path: "", message: "no configuration file")
      }
      let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
      let configuration = loaded.configuration
      var check = ConfigurationCheck(
        path: loaded.path, deployments: configuration.deployments.count,
        targets: configuration.deployments.reduce(0) { $0 + $1.targets.count }, online: online,
        warnings: loaded.warnings
          + ConfigurationCheck.offlineWarnings(
            configuration, acmeShHome: home + "/.acme.sh", fileExists: { FileManager.default.fileExists(atPath: $0) }),
        problems: ConfigurationCheck.notifyProblems(configuration, environment: environment))
      if online, configuration.spansPlacements() {
        // Every (account, region) with its own session: its targets found, its credentials work.
        let quiet = LoadedConfiguration(
          path: loaded.path, configuration: configuration, warnings: [], setsStatePath: loaded.setsStatePath)
        let sessions = LifecycleSession.fleet(cloud: cloud, lifecycle: lifecycle, loaded: quiet, environment: environment)
        let parts = await PlacementFanOut.run(configuration.placements()) { placement in
          try await sessions.open(placement) { context in
            await ConfigurationCheck.onlineProblems(configuration.restricted(to: placement), context: context)
          }
        }
        for part in parts {
          switch part.outcome {
          case .success(let problems): check.problems += problems.map { "[\(part.placement)] \($0)" }
          case .failure(let failure): check.problems.append(failure.description)
          }
        }
      } else if online {
        let quiet = LoadedConfiguration(
          path: loaded.path, configuration: configuration, warnings: [], setsStatePath: loaded.setsStatePath)
        check.problems += try await LifecycleSession.with(
          cloud: cloud, options: lifecycle, requireConfiguration: true, preloaded: quiet
        ) { run in
          await ConfigurationCheck.onlineProblems(configuration, context: run.context)
        }
      }
      result = check
    } catch {
      throw LifecycleExit.fail(error, json: output.isJSON)
    }
    let status = result.problems.isEmpty ? LifecycleExit.success : LifecycleExit.usage
    if output.isJSON {
      LifecycleJSON.print(LifecycleDocument(command: "config check", exitCode: status, result: result))
    } else {
      for warning in result.warnings { Diagnostics.warning(warning) }
      for problem in result.problems { Diagnostics.error(problem) }
      let scope = result.online ? "valid, every target found and the credentials work" : "valid (offline check)"
      let verdict = result.problems.isEmpty ? scope : "\(result.problems.count) problem(s)"
      let line = "\(result.path): \(verdict); \(result.deployments) deployment(s), \(result.targets) target(s)"
        + (result.warnings.isEmpty ? "" : ", \(result.warnings.count) warning(s)")
      FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
    if status != 0 { throw ExitCode(status) }
  }
}
