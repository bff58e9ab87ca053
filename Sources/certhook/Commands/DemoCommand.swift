import ArgumentParser
import Foundation

/// `certhook demo`: the README's main job, on an in-process emulator with no cloud account.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the whole deploy flow against a built-in emulator: deploy, re-run, renew, retire.",
    discussion: """
      Starts the ALB + CAS emulator in this process, makes a throwaway CA and certificates, deploys onto three
      listeners of two load balancers, renews and deploys again, then checks from the emulator's event log that
      no listener was ever without a valid certificate. Exit status 0 when every check passed.
      """)

  @Option(name: .customLong("job-delay"), help: "How long each emulated listener change takes, in milliseconds.")
  var jobDelayMilliseconds: Int = 300

  @Option(name: .customLong("work-dir"), help: "Keep the generated certificates and state here (default: a temporary directory, removed).")
  var workDirectory: String?

  func validate() throws {
    guard (0...60_000).contains(jobDelayMilliseconds) else { throw ValidationError("--job-delay must be 0...60000 ms") }
  }

  func run() async throws {
    let directory = workDirectory.map { URL(fileURLWithPath: $0) }
      ?? FileManager.default.temporaryDirectory.appendingPathComponent("certhook-demo-\(UUID().uuidString)")
    defer { if workDirectory == nil { try? FileManager.default.removeItem(at: directory) } }
    let scenario = DemoScenario(
      jobDelay: .milliseconds(jobDelayMilliseconds), workDirectory: directory, out: DemoNarrator())
    guard try await scenario.run() else { throw ExitCode(1) }
  }
}
