import CertHookCore
import CertificateKit
import CloudEmulator
import Foundation

/// `certhook demo`: the whole deploy flow on an in-process emulator, narrated step by step.
///
/// 1. start the emulator (two ALB instances, an NLB, a Global Accelerator and a CLB) and make a throwaway CA;
/// 2. put an unrelated certificate on one listener (it must survive everything below);
/// 3. issue a certificate, inspect it, and deploy it as a deploy hook would;
/// 4. run the deploy again: nothing to do, no API writes;
/// 5. renew, deploy again: the new certificate is added, its predecessor retired;
/// 6. show what every listener serves, what CAS holds, and check the event log for coverage gaps.
struct DemoScenario {
  var jobDelay: Duration
  var workDirectory: URL
  var out: DemoNarrator

  /// Runs every step; returns false when a check at the end failed.
  func run() async throws -> Bool {
    let now = Date()
    let world = try DemoWorld(directory: workDirectory, now: now)
    out.step("Start the emulator and make a throwaway CA")
    let emulator = try await EmulatorServer.start(EmulatorConfiguration(seed: world.seed, jobDelay: jobDelay))
    out.say("emulator (ALB, NLB, GA, CLB and CAS APIs) listening on \(emulator.endpoint.absoluteString), job delay \(jobDelay)")
    out.say("CA: \(world.ca.subject.rfc4514), files in \(workDirectory.path)")
    out.listeners(await emulator.state())

    let url = emulator.endpoint.absoluteString
    let options = try CloudOptions.parse([
      "--region", "cn-hangzhou", "--alb-endpoint", url, "--cas-endpoint", url, "--nlb-endpoint", url,
      "--ga-endpoint", url, "--slb-endpoint", url,
    ])
    do {
      let ok = try await FixedKeySession.with(
        cloud: options.choices, accessKeyId: DemoWorld.accessKeyId, accessKeySecret: DemoWorld.accessKeySecret,
        origin: "the demo", statePath: workDirectory.appendingPathComponent("state.json").path, now: now,
        logger: StandardErrorLogger.make(verbosity: options.verbose), onRetry: RetryLine.terminal,
        pollInterval: .milliseconds(100), concurrency: 8, jobTimeout: 60
      ) { context in
        try await story(world: world, emulator: emulator, context: context, now: now)
      }
      await emulator.stop()
      return ok
    } catch {
      await emulator.stop()
      throw error
    }
  }

  private func story(world: DemoWorld, emulator: EmulatorServer, context: RunnerContext, now: Date) async throws -> Bool {
    out.step("An unrelated certificate is already on lsr-demo-1-https (certhook must leave it alone)")
    let shop = try world.issue("shop.example.net", names: ["shop.example.net"], notBefore: now.addingTimeInterval(-86400), days: 60)
    let shopFiles = CertificateReference.files(
      certificate: shop.lineage.appendingPathComponent("fullchain.pem").path,
      key: shop.lineage.appendingPathComponent("privkey.pem").path, chain: nil)
    let shopResult = try await AttachRunner(context: context).run(
      AttachRequest(certificate: shopFiles, listeners: ["lsr-demo-1-https"], replace: .none))
    out.report(shopResult.report)

    let configuration = CertHookConfiguration(
      region: "cn-hangzhou", statePath: workDirectory.appendingPathComponent("state.json").path,
      deployments: [
        Deployment(
          name: "example", domains: DemoWorld.domains,
          targets: [
            .listener("lsr-demo-1-https"), .listener("lsr-demo-1-quic"),
            .loadBalancer("alb-demo-2", protocols: nil, ports: nil), .loadBalancer("nlb:nlb-demo", protocols: nil, ports: nil),
            .listener("ga:ga-demo/lsr-ga-demo"), .listener("clb:lb-demo:443"),
          ])
      ])
    out.say("configuration: deployment \"example\" covers \(DemoWorld.domains.joined(separator: ", ")) on "
      + "lsr-demo-1-https, lsr-demo-1-quic, every HTTPS/QUIC listener of alb-demo-2, every TCPSSL listener of the NLB "
      + "nlb-demo, the Global Accelerator listener ga-demo/lsr-ga-demo and the CLB listener lb-demo:443")

    out.step("Issue a certificate for example.test and inspect it")
    let first = try world.issue("example.test", names: DemoWorld.domains, notBefore: now.addingTimeInterval(-86400), days: 90)
    try inspect(first.lineage, now: now)

    out.step("Deploy it, as `certhook deploy-hook` does after certbot renews")
    try await deploy(first.lineage, configuration: configuration, context: context, emulator: emulator)

    out.step("Run the same deploy again: nothing to do")
    let before = await writes(emulator)
    try await deploy(first.lineage, configuration: configuration, context: context, emulator: emulator)
    let repeatWrites = await writes(emulator) - before
    out.say("API writes during the second run: \(repeatWrites)")

    out.step("Renew (a new certificate for the same names) and deploy again: the old one is retired")
    let second = try world.issue("example.test", names: DemoWorld.domains, notBefore: now.addingTimeInterval(-60), days: 90)
    try inspect(second.lineage, now: now)
    try await deploy(second.lineage, configuration: configuration, context: context, emulator: emulator)

    out.step("What the listeners serve now")
    let state = await emulator.state()
    out.listeners(state)
    let checks = DemoChecks(
      state: state, events: await emulator.events(), targets: DemoWorld.targets, domains: DemoWorld.domains,
      current: second.leaf.sha256Fingerprint, previous: first.leaf.sha256Fingerprint,
      unrelated: shop.leaf.sha256Fingerprint)
    let problems = checks.problems() + (repeatWrites == 0 ? [] : ["the repeated deploy made \(repeatWrites) API writes"])
    out.step(problems.isEmpty ? "Checks passed" : "Checks FAILED")
    for line in checks.summary() { out.say(line) }
    for problem in problems { out.say("problem: \(problem)") }
    out.say("try it against your account: docs/quick-start.md")
    return problems.isEmpty
  }

  private func inspect(_ lineage: URL, now: Date) throws {
    let bundle = try CertificateBundle.load(
      certificatePath: lineage.appendingPathComponent("fullchain.pem").path,
      keyPath: lineage.appendingPathComponent("privkey.pem").path)
    let findings = CertificateChecker.check(
      chain: [bundle.leaf] + bundle.chain, key: bundle.key, domains: DemoWorld.domains, now: now)
    out.say("\(bundle.leaf.subject.commonName ?? "?"): serial \(bundle.leaf.serialNumber), "
      + "valid until \(DemoNarrator.day(bundle.leaf.notAfter)), SHA-256 \(bundle.leaf.sha256Fingerprint.prefix(16))…")
    for finding in findings { out.say("  \(finding.severity.rawValue): \(finding.message)") }
    out.say(CertificateChecker.isDeployable(findings) ? "fit to deploy" : "NOT fit to deploy")
  }

  private func deploy(
    _ lineage: URL, configuration: CertHookConfiguration, context: RunnerContext, emulator: EmulatorServer
  ) async throws {
    let invocation = HookInvocation.explicit(
      certificatePath: lineage.appendingPathComponent("fullchain.pem").path,
      keyPath: lineage.appendingPathComponent("privkey.pem").path, domains: DemoWorld.domains)
    let started = Date()
    let result = try await DeployHookRunner(configuration: configuration, context: context).run(invocation)
    out.report(result.report)
    out.say(String(format: "took %.1f s", Date().timeIntervalSince(started)))
  }

  private func writes(_ emulator: EmulatorServer) async -> Int {
    await emulator.appliedWrites().count
  }
}
