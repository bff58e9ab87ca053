import ArgumentParser
import CertHookCore
import Foundation

/// `certhook detach`: remove one additional certificate from many listeners (never a default certificate).
struct DetachCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "detach",
    abstract: "Detach an additional certificate from listeners or from every HTTPS/QUIC listener of load balancers.",
    discussion: """
      A default certificate is never removed. --dry-run prints the plan with the API's DryRun prechecks and \
      changes nothing.

      Exit status: 0 every listener done; 1 at least one listener failed; 2 the certificate file is unreadable; \
      64 usage or configuration error.
      """)

  @OptionGroup var target: BatchTargetOptions
  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func validate() throws {
    try target.check()
  }

  func run() async throws {
    let request = DetachRequest(
      certificate: target.reference, listeners: try target.listenerKeys(), loadBalancers: try target.loadBalancerKeys(),
      dryRun: target.dryRun)
    let progress = ProgressLine()
    let result: BatchResult
    do {
      result = try await LifecycleSession.with(
        cloud: cloud, options: lifecycle, requireConfiguration: false, progress: progress
      ) { run in
        try await DetachRunner(context: run.context).run(request)
      }
    } catch {
      progress.finish()
      throw LifecycleExit.fail(error, json: target.json)
    }
    progress.finish()
    try BatchOutput.finish(result, command: "detach", json: target.json)
  }
}
