import ArgumentParser
import CertHookCore
import Foundation

/// `certhook attach`: put one certificate on many listeners, retiring the certificates it supersedes.
struct AttachCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attach",
    abstract: "Attach a certificate to listeners or to every HTTPS/QUIC listener of load balancers.",
    discussion: """
      No configuration file is needed (one is read when present, for region, endpoints and state path). \
      --dry-run prints the plan with the API's DryRun prechecks and changes nothing; without it certhook \
      executes exactly that plan: associate, wait, verify, then dissociate what the certificate supersedes.

      Exit status: 0 every listener done; 1 at least one listener failed (the others were done); 2 the \
      certificate was refused or unreadable (nothing changed); 64 usage or configuration error.
      """)

  @OptionGroup var target: BatchTargetOptions

  @Option(name: .customLong("protocol"), help: "Only load balancer listeners of this protocol: HTTPS, QUIC or TCPSSL (repeatable).")
  var protocols: [String] = []

  @Option(name: .customLong("port"), help: "Only load balancer listeners on this port (repeatable).")
  var ports: [Int] = []

  @Option(help: "Retire older certificates whose every name the new one covers (covered), or nothing (none).")
  var replace: String = "covered"

  @Flag(name: .customLong("default"), help: "Replace the listeners' default certificate instead of adding an SNI one.")
  var replaceDefault = false

  @Option(help: "Listeners changed at the same time.")
  var concurrency: Int?

  @OptionGroup var lifecycle: LifecycleOptions
  @OptionGroup var cloud: CloudOptions

  func validate() throws {
    try target.check()
    let known = Set(ListenerProduct.allCases.flatMap(\.certificateProtocols))
    for p in protocols where !known.contains(p.uppercased()) {
      throw ValidationError("--protocol must be HTTPS, QUIC or TCPSSL, got '\(p)'")
    }
    guard ReplacePolicy(rawValue: replace) != nil else { throw ValidationError("--replace must be covered or none, got '\(replace)'") }
    if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
  }

  func run() async throws {
    let request = AttachRequest(
      certificate: target.reference, listeners: try target.listenerKeys(), loadBalancers: try target.loadBalancerKeys(),
      protocols: protocols.isEmpty ? nil : protocols.map { $0.uppercased() }, ports: ports.isEmpty ? nil : ports,
      replace: ReplacePolicy(rawValue: replace) ?? .covered, mode: replaceDefault ? .default : .additional,
      dryRun: target.dryRun)
    let progress = ProgressLine()
    let result: BatchResult
    do {
      result = try await LifecycleSession.with(
        cloud: cloud, options: lifecycle, requireConfiguration: false, progress: progress
      ) { run in
        var context = run.context
        if let concurrency { context.concurrency = concurrency }
        return try await AttachRunner(context: context).run(request)
      }
    } catch {
      progress.finish()
      throw LifecycleExit.fail(error, json: target.json)
    }
    progress.finish()
    try BatchOutput.finish(result, command: "attach", json: target.json)
  }
}
