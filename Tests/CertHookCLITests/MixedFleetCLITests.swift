import CertHookTestSupport
import CloudEmulator
import Foundation
import XCTest

/// Issue 13: one deployment over an ALB, an NLB, a Global Accelerator and a CLB listener, renewed by `sync` and by
/// `deploy-hook` in one run each: every listener converges, predecessors are retired, a rerun writes nothing, and
/// the event log shows no moment a configured domain was uncovered, on every product.
final class MixedFleetCLITests: XCTestCase {
  static let domains = ["mix.example.test", "www.mix.example.test"]
  /// The emulator's own listener IDs (the event log's) of the four targets.
  static let listeners = ["lsr-h1-https", "lsn-mix-443", "lsr-gamix-443", "lb-mix:443"]

  static var seed: EmulatorSeed {
    var seed = LifecycleWorld.seed
    seed.loadBalancers += [
      .init(
        id: "nlb-mix", product: .nlb,
        listeners: [.init(id: "lsn-mix-443", protocol: "TCPSSL", port: 443), .init(id: "lsn-mix-80", protocol: "TCP", port: 80)]),
      .init(id: "ga-mix", product: .ga, listeners: [.init(id: "lsr-gamix-443", protocol: "HTTPS", port: 443)]),
      .init(id: "lb-mix", product: .clb, listeners: [.init(id: "", protocol: "HTTPS", port: 443)]),
    ]
    return seed
  }

  private func configuration(_ w: LifecycleWorld, _ lineage: LifecycleWorld.Lineage) throws -> String {
    try w.config(
      Self.yaml(
        lineage,
        targets: [
          "listener: lsr-h1-https", "nlbLoadBalancer: nlb-mix", "{gaListener: lsr-gamix-443, accelerator: ga-mix}",
          "{clbListener: lb-mix, port: 443}",
        ]))
  }

  /// One deployment `mix` of `lineage` for `domains` on `targets` (YAML flow items), with `extra` deployment lines.
  static func yaml(_ lineage: LifecycleWorld.Lineage, targets: [String], extra: [String] = []) -> String {
    let lines = [
      "version: 1", "region: cn-hangzhou", "deployments:", "  - name: mix",
      "    source: {cert: \(lineage.cert), key: \(lineage.key), chain: \(lineage.chain)}",
      "    domains: [\(domains.joined(separator: ", "))]", "    targets:",
    ]
    return (lines + targets.map { "      - " + $0 } + extra.map { "    " + $0 }).joined(separator: "\n") + "\n"
  }

  /// The CAS identifiers a listener serves (SLB server certificates mapped back to the CAS certificate they copy).
  private func serving(_ state: EmulatorState, _ listener: String) -> Set<String> {
    let served = state.listener(listener)?.certificates.filter { $0.status == "Associated" } ?? []
    return Set(served.map { state.casIdentifier(of: $0.certificateId) ?? $0.certificateId })
  }

  private func assertServes(_ w: LifecycleWorld, _ lineage: LifecycleWorld.Lineage, retired: String? = nil) async throws {
    let state = await w.server.state()
    let current = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    for listener in Self.listeners {
      let served = serving(state, listener)
      XCTAssertTrue(served.contains(current), "\(listener) serves \(served), not \(current)")
      if let retired { XCTAssertFalse(served.contains(retired), "\(listener) still serves \(retired)") }
    }
  }

  func testSyncAndDeployHookConvergeOnEveryProductWithoutAGap() async throws {
    let w = try await LifecycleWorld.start(seed: Self.seed)
    defer { Task { await w.stop() } }
    let first = try w.lineage("mix", Self.domains, days: 90)
    let config = try configuration(w, first)

    let deployed = try await w.run(["sync", "--config", config, "--json"])
    XCTAssertEqual(deployed.status, 0, deployed.all)
    for product in ["\"alb\"", "\"nlb\"", "\"ga\"", "\"clb\""] {
      XCTAssertTrue(deployed.stdout.contains("\"product\" : \(product)"), "JSON names \(product)\n\(deployed.stdout)")
    }
    try await assertServes(w, first)

    let before = await w.requestCount()
    let rerun = try await w.run(["sync", "--config", config])
    XCTAssertEqual(rerun.status, 0, rerun.all)
    let rerunWrites = await w.writes(since: before)
    XCTAssertEqual(rerunWrites.map(\.action), [], "a converged fleet takes no write")

    let firstId = try await XCTUnwrapAsync(await w.identifier(of: first.certificate))
    // Each renewal ends a day later: it supersedes its predecessor.
    let second = try w.lineage("mix", Self.domains, days: 91)
    let renewed = try await w.run(["sync", "--config", config])
    XCTAssertEqual(renewed.status, 0, renewed.all)
    try await assertServes(w, second, retired: firstId)

    let secondId = try await XCTUnwrapAsync(await w.identifier(of: second.certificate))
    let third = try w.lineage("mix", Self.domains, days: 92)
    let hooked = try await w.run(["deploy-hook", "--config", config, "--cert", third.cert, "--key", third.key])
    XCTAssertEqual(hooked.status, 0, hooked.all)
    try await assertServes(w, third, retired: secondId)

    let events = await w.server.events()
    for listener in Self.listeners {
      let replay = CoverageReplay.gaps(events, listener: listener, domains: Self.domains)
      XCTAssertEqual(replay.gaps, [], "\(listener)")
      XCTAssertEqual(replay.covered, Set(Self.domains), "\(listener) was covered at some point")
    }
  }

  func testListenersAndAuditNameEveryProduct() async throws {
    let w = try await LifecycleWorld.start(seed: Self.seed)
    defer { Task { await w.stop() } }
    let lineage = try w.lineage("mix", Self.domains, days: 90)
    let config = try configuration(w, lineage)
    let synced = try await w.run(["sync", "--config", config])
    XCTAssertEqual(synced.status, 0, synced.all)

    let listed = try await w.run(
      ["listeners", "--load-balancer", "nlb-mix", "--load-balancer", "ga-mix", "--load-balancer", "lb-mix"], state: false)
    XCTAssertEqual(listed.status, 0, listed.all)
    for key in ["nlb:lsn-mix-443", "ga:ga-mix/lsr-gamix-443", "clb:lb-mix:443"] {
      XCTAssertTrue(listed.stdout.contains(key), "listeners shows \(key)\n\(listed.stdout)")
    }

    let audit = try await w.run([
      "audit", "--listener", "lsr-h1-https", "--nlb-listener", "lsn-mix-443", "--ga-listener", "ga-mix/lsr-gamix-443",
      "--clb-listener", "lb-mix:443", "--format", "prometheus",
    ])
    XCTAssertTrue([0, 1].contains(audit.status), audit.all)
    for product in ["alb", "nlb", "ga", "clb"] {
      XCTAssertTrue(audit.stdout.contains("product=\"\(product)\""), "audit labels \(product)\n\(audit.stdout)")
    }

    let pruned = try await w.run(["prune", "--config", config, "--dry-run"])
    XCTAssertEqual(pruned.status, 0, pruned.all)
    let badProduct = try await w.run(["prune", "--product", "elb"])
    XCTAssertEqual(badProduct.status, 64, badProduct.all)
    XCTAssertTrue(badProduct.stderr.contains("--product must be alb, nlb, ga or clb"), badProduct.stderr)

    let usage = try await w.run(["attach", "--cert", lineage.cert, "--ga-listener", "lsr-gamix-443"])
    XCTAssertEqual(usage.status, 64, usage.all)
    XCTAssertTrue(usage.stderr.contains("--ga-listener"), usage.stderr)
  }
}
