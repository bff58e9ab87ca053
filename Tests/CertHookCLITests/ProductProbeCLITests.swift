import CloudEmulator
import Foundation
import XCTest

/// Issue 13 with issue 12's verified serving: `certhook probe`, `audit --probe` and `verify: tls` over an NLB, a
/// Global Accelerator and a CLB listener, against the emulator serving TLS. Each product's host comes from its own
/// API (NLB `DNSName`, GA `DnsName`, CLB `Address`), redirected to the emulator's loopback address with `--resolve`
/// from `/_emulator/state` `dns`, as for ALB.
final class ProductProbeCLITests: XCTestCase {
  static let domains = MixedFleetCLITests.domains
  /// The three product listeners on the command line.
  static let selectors = [
    "--nlb-listener", "lsn-mix-443", "--ga-listener", "ga-mix/lsr-gamix-443", "--clb-listener", "lb-mix:443",
  ]
  /// Listener key -> the host its product's API names (CLB: load balancer 5 of the seed, `192.0.2.5`).
  static let hosts = [
    "nlb:lsn-mix-443": "nlb-mix.cn-hangzhou.nlb.aliyuncsslb.com", "ga:ga-mix/lsr-gamix-443": "ga-mix.aliyunga0019.com",
    "clb:lb-mix:443": "192.0.2.5",
  ]

  struct World {
    let w: LifecycleWorld
    let offset: Int
    /// `--resolve NAME:ADDRESS` for every name `/_emulator/state` maps.
    let resolve: [String]
    let caFile: String

    var options: [String] {
      resolve.flatMap { ["--resolve", $0] } + ["--port-offset", String(offset), "--ca-file", caFile]
    }
  }

  func start(faults: FaultSpec = .none) async throws -> World {
    let offset = try LoopbackPort.freeOffset(address: "127.0.1.1", for: [443, 8443])
    let w = try await LifecycleWorld.start(tlsPortOffset: offset, seed: MixedFleetCLITests.seed, faults: faults)
    addTeardownBlock { await w.stop() }
    let state = await w.server.state()
    let dns = try XCTUnwrap(state.dns)
    XCTAssertEqual(dns["192.0.2.5"], "127.0.1.5", "the CLB's address maps to its serving address")
    let caFile = w.root + "/ca.pem"
    try w.write(caFile, w.ca.pem)
    return World(w: w, offset: offset, resolve: dns.keys.sorted().map { "\($0):\(dns[$0] ?? "")" }, caFile: caFile)
  }

  func configuration(_ world: World, _ lineage: LifecycleWorld.Lineage, verifyTimeout: Int = 20) throws -> String {
    let resolve = world.resolve.map { "\"\($0)\"" }.joined(separator: ", ")
    return try world.w.config(
      MixedFleetCLITests.yaml(
        lineage,
        targets: [
          "nlbListener: lsn-mix-443", "{gaListener: lsr-gamix-443, accelerator: ga-mix}",
          "{clbListener: lb-mix, port: 443}",
        ],
        extra: [
          "verify: tls", "resolve: [\(resolve)]", "portOffset: \(world.offset)", "verifyTimeout: \(verifyTimeout)",
        ]))
  }

  /// The `probes[]` of a JSON document, by "listener domain".
  func probes(_ text: String) throws -> [String: [String: Any]] {
    let items = try XCTUnwrap(try LifecycleWorld.json(text)["probes"] as? [[String: Any]], text)
    var result: [String: [String: Any]] = [:]
    for item in items {
      let target = try XCTUnwrap(item["target"] as? [String: Any])
      result["\(target["listenerId"] as? String ?? "?") \(target["domain"] as? String ?? "?")"] = item
    }
    XCTAssertEqual(result.count, items.count, "one probe per pair")
    return result
  }

  func testProbeAuditProbeAndVerifyTLSOnNLBGAAndCLB() async throws {
    let world = try await start()
    let w = world.w
    let domainFlags = Self.domains.flatMap { ["--domain", $0] }

    // Before the deploy each listener serves its seeded default, which covers none of the names: not ok.
    let before = try await w.run(["probe"] + Self.selectors + domainFlags + world.options + ["--format", "json"])
    XCTAssertEqual(before.status, 2, before.all)
    let unserved = try probes(before.stdout)
    XCTAssertEqual(unserved.count, 6, before.stdout)
    for (pair, item) in unserved {
      XCTAssertEqual(item["status"] as? String, "uncovered", "\(pair): \(item)")
      XCTAssertEqual(item["covers"] as? Bool, false, "\(pair): \(item)")
    }

    // The deployment verifies by handshake on every product before it reports success.
    let lineage = try w.lineage("mix", Self.domains, days: 90)
    let config = try configuration(world, lineage)
    let synced = try await w.run(["sync", "--config", config, "--json"])
    XCTAssertEqual(synced.status, 0, synced.all)
    for listener in ["nlb:lsn-mix-443", "ga:ga-mix/lsr-gamix-443", "clb:lb-mix:443"] {
      XCTAssertTrue(synced.stdout.contains("\"\(listener)\""), "\(listener) in the report\n\(synced.stdout)")
    }
    XCTAssertFalse(synced.stdout.contains("not served"), synced.stdout)

    // Every (listener, domain) pair is served the deployed certificate: covered, trusted, listed, `ok`.
    let after = try await w.run(["probe"] + Self.selectors + domainFlags + world.options + ["--format", "json"])
    XCTAssertEqual(after.status, 0, after.all)
    let served = try probes(after.stdout)
    XCTAssertEqual(served.count, 6, after.stdout)
    let loopback = [
      "nlb:lsn-mix-443": "127.0.1.3", "ga:ga-mix/lsr-gamix-443": "127.0.1.4", "clb:lb-mix:443": "127.0.1.5",
    ]
    for (listener, host) in Self.hosts {
      for domain in Self.domains {
        let item = try XCTUnwrap(served["\(listener) \(domain)"], "\(listener) \(domain)\n\(after.stdout)")
        XCTAssertEqual(item["status"] as? String, "ok", "\(listener) \(domain): \(item)")
        XCTAssertEqual(item["sha256"] as? String, lineage.certificate.sha256Fingerprint, "\(listener) \(domain)")
        XCTAssertEqual(item["chainTrusted"] as? Bool, true, "\(listener) \(domain)")
        XCTAssertNotNil(item["listedCertificateId"] as? String, "\(listener) \(domain): \(item)")
        XCTAssertEqual((item["target"] as? [String: Any])?["host"] as? String, host, "\(listener) \(domain)")
        XCTAssertEqual(item["endpoint"] as? String, "\(loopback[listener] ?? "?"):\(443 + world.offset)", "\(listener)")
      }
    }

    // The deployments of the configuration are probed the same way; the table says so in its summary.
    let fromConfig = try await w.run(["probe", "--config", config] + world.options)
    XCTAssertEqual(fromConfig.status, 0, fromConfig.all)
    XCTAssertTrue(fromConfig.stdout.hasSuffix("6 handshakes: 6 ok\n"), fromConfig.stdout)

    // A name the certificate does not cover gets the listener's default: reported, not ok.
    let other = try await w.run(
      ["probe"] + Self.selectors + ["--domain", "other.example.test"] + world.options + ["--format", "json"])
    XCTAssertEqual(other.status, 2, other.all)
    let uncovered = try probes(other.stdout)
    XCTAssertEqual(uncovered.count, 3, other.stdout)
    for (pair, item) in uncovered {
      XCTAssertEqual(item["status"] as? String, "uncovered", "\(pair): \(item)")
      XCTAssertNotEqual(item["sha256"] as? String, lineage.certificate.sha256Fingerprint, pair)
    }

    // audit --probe: each product listener's row of the deployed certificate is served for both names.
    let audit = try await w.run(["audit"] + Self.selectors + ["--probe"] + world.options + ["--format", "json"])
    let audited = try probes(audit.stdout)
    for listener in Self.hosts.keys {
      for domain in Self.domains {
        XCTAssertEqual(
          audited["\(listener) \(domain)"]?["status"] as? String, "ok", "\(listener) \(domain)\n\(audit.all)")
      }
    }
    let table = try await w.run(["audit"] + Self.selectors + ["--probe"] + world.options)
    XCTAssertTrue(table.stdout.contains("SERVED FOR"), table.all)
    let deployed = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    let names = Self.domains.joined(separator: ",")
    for listener in Self.hosts.keys {
      let row = table.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.first {
        $0.contains(listener) && $0.contains(deployed)
      }
      XCTAssertEqual(row?.suffix(2), [names, names], "\(listener): DOMAINS and SERVED FOR\n\(table.stdout)")
    }
  }

  /// `verify: tls` on a product listener whose data plane ignores the change (fault `no-serve`): that listener fails
  /// with what was served instead; the others are verified and updated.
  func testVerifyTLSFailsTheNLBListenerThatDoesNotServeTheNewCertificate() async throws {
    let world = try await start(faults: try FaultSpec.parse("no-serve=lsn-mix-443"))
    let lineage = try world.w.lineage("mix", Self.domains, days: 90)
    let config = try configuration(world, lineage, verifyTimeout: 1)
    let synced = try await world.w.run(["sync", "--config", config])
    XCTAssertNotEqual(synced.status, 0, synced.all)
    XCTAssertTrue(synced.all.contains("is Associated but not served after"), synced.all)
    let rows = synced.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    XCTAssertTrue(rows.contains { $0.first == "nlb:lsn-mix-443" && $0.contains("failed") }, synced.stdout)
    for listener in ["ga:ga-mix/lsr-gamix-443", "clb:lb-mix:443"] {
      XCTAssertTrue(rows.contains { $0.first == listener && $0.contains("updated") }, "\(listener)\n\(synced.stdout)")
    }
    let state = await world.w.server.state()
    let ga = state.listener("lsr-gamix-443")?.certificates.filter { $0.status == "Associated" }.count ?? 0
    XCTAssertEqual(ga, Self.domains.count, "the GA listener is verified and keeps both bindings")
  }
}
