import CloudEmulator
import Foundation
import XCTest

/// Issue 15: one `sync` over several accounts and regions (`accounts:`, `account:`/`region:` per target) against
/// one emulator serving three accounts besides the default one; one account's role is refused.
final class FleetCLITests: XCTestCase {
  static var seed: EmulatorSeed {
    var seed = LifecycleWorld.seed
    seed.accessKeys = [.init(id: "testid", secret: LifecycleWorld.secret, accountId: "1000000000000001")]
    seed.accounts = [
      .init(
        id: "2000000000000002", accessKeys: [.init(id: "acct2-key", secret: "acct2-secret")],
        loadBalancers: [
          .init(
            id: "alb-two",
            listeners: [
              .init(id: "lsr-two-443", protocol: "HTTPS", port: 443), .init(id: "lsr-two-8443", protocol: "HTTPS", port: 8443),
            ])
        ]),
      .init(
        id: "3000000000000003", accessKeys: [.init(id: "acct3-key", secret: "acct3-secret")],
        loadBalancers: [.init(id: "alb-three", listeners: [.init(id: "lsr-three-443", protocol: "HTTPS", port: 443)])]),
    ]
    // Only account 1 may assume this role: account 3's keys are refused (the `denied` account below).
    seed.roles = [.init(arn: "acs:ram::2000000000000002:role/deployer", trust: ["1000000000000001"])]
    return seed
  }

  private func configuration(_ w: LifecycleWorld, lineage: LifecycleWorld.Lineage) throws -> String {
    try w.config(
      """
      version: 1
      region: cn-hangzhou
      accounts:
        - name: two
          accessKeyId: acct2-key
          accessKeySecret: acct2-secret
        - name: three
          accessKeyId: acct3-key
          accessKeySecret: acct3-secret
        - name: denied
          accessKeyId: acct3-key
          accessKeySecret: acct3-secret
          assumeRole:
            roleArn: acs:ram::2000000000000002:role/deployer
      deployments:
        - name: web
          source: {cert: \(lineage.cert), key: \(lineage.key), chain: \(lineage.chain)}
          domains: [web.example.test]
          targets:
            - listener: lsr-h1-https
            - {listener: lsr-two-443, account: two}
            - {listener: lsr-two-8443, account: two, region: cn-shanghai}
            - {listener: lsr-three-443, account: three}
            - {listener: lsr-two-443, account: denied}
      """)
  }

  private func listenerCertificates(_ w: LifecycleWorld, account: String, listener: String) async -> [String] {
    guard let state = await w.server.state(account: account) else { return [] }
    for lb in state.loadBalancers {
      if let l = lb.listeners.first(where: { $0.id == listener }) { return l.certificates.map(\.certificateId) }
    }
    return []
  }

  func testSyncConvergesTheGoodAccountsAndNamesTheDeniedOne() async throws {
    let w = try await LifecycleWorld.start(seed: Self.seed)
    defer { Task { await w.stop() } }
    let lineage = try w.lineage("web", ["web.example.test"], days: 90)
    let config = try configuration(w, lineage: lineage)

    let result = try await w.run(["sync", "--config", config, "--json", "-v"])
    XCTAssertEqual(result.status, 1, "one account failed: partial failure exits 1\n\(result.all)")
    let document = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.all)
    let payload = try XCTUnwrap(document["result"] as? [String: Any])
    let groups = try XCTUnwrap(payload["groups"] as? [[String: Any]], result.stdout)
    let labels = groups.map { "\($0["account"] as? String ?? "?")/\($0["region"] as? String ?? "-")" }
    XCTAssertEqual(labels, ["default/-", "denied/-", "three/-", "two/-", "two/cn-shanghai"])
    let succeeded = groups.map { $0["succeeded"] as? Bool ?? false }
    XCTAssertEqual(succeeded, [true, false, true, true, true], result.stdout)
    let denied = try XCTUnwrap(groups.first { $0["account"] as? String == "denied" })
    let sessionError = try XCTUnwrap(denied["sessionError"] as? String, "\(denied)")
    XCTAssertTrue(sessionError.contains("NoPermission") || sessionError.contains("denied"), sessionError)
    XCTAssertTrue(sessionError.contains("ram-role-arn (acs:ram::2000000000000002:role/deployer"), "names the provider: \(sessionError)")
    XCTAssertTrue(result.stderr.contains("[account denied] web: cannot open a session"), result.stderr)
    XCTAssertTrue(result.stderr.contains("region=cn-shanghai"), "a session was opened in cn-shanghai")

    // The good accounts converged, each in its own world; the certificate went to each account's CAS once.
    let primary = await w.certificates(on: "lsr-h1-https")
    XCTAssertEqual(primary.count, 1)
    let two443 = await listenerCertificates(w, account: "2000000000000002", listener: "lsr-two-443")
    let two8443 = await listenerCertificates(w, account: "2000000000000002", listener: "lsr-two-8443")
    let three = await listenerCertificates(w, account: "3000000000000003", listener: "lsr-three-443")
    XCTAssertEqual(two443.count, 1, "account two, default region")
    XCTAssertEqual(two8443, two443, "account two, cn-shanghai: the same CAS certificate")
    XCTAssertEqual(three.count, 1)
    XCTAssertNotEqual(three, two443, "each account uploaded its own copy")
    let log = await w.server.requestLog()
    var uploads: [String: Int] = [:]
    for record in log where record.action == "UploadUserCertificate" && record.status == 200 {
      uploads[record.accountId ?? "primary", default: 0] += 1
    }
    XCTAssertEqual(
      uploads, ["primary": 1, "2000000000000002": 1, "3000000000000003": 1],
      "one upload per (account, CAS site): two regions of one account share it")

    // A second run: the good accounts make no writes (state cache per account and CAS site), the bad one still fails.
    let before = log.count
    let metricsPath = w.root + "/sync.prom"
    let again = try await w.run(["sync", "--config", config, "--metrics-file", metricsPath])
    XCTAssertEqual(again.status, 1, again.all)
    let writes = await w.writes(since: before)
    XCTAssertEqual(writes.map(\.action), [], "converged accounts stay converged")
    XCTAssertTrue(again.stdout.contains("By account and region:"), again.stdout)
    XCTAssertTrue(again.stdout.contains("account denied: FAILED"), again.stdout)
    XCTAssertTrue(again.stdout.contains("account two, cn-shanghai: ok"), again.stdout)
    let metrics = try String(contentsOfFile: metricsPath, encoding: .utf8)
    let successLines = metrics.split(separator: "\n").filter { $0.hasPrefix("certhook_account_run_success{") }
    XCTAssertEqual(successLines.count, 5, metrics)
    XCTAssertTrue(successLines.contains { $0.contains("account=\"denied\"") && $0.hasSuffix(" 0") }, metrics)
    XCTAssertTrue(
      successLines.contains { $0.contains("account=\"two\"") && $0.contains("region=\"cn-shanghai\"") && $0.hasSuffix(" 1") },
      metrics)
    XCTAssertTrue(
      metrics.split(separator: "\n").contains {
        $0.hasPrefix("certhook_account_listeners{") && $0.contains("account=\"three\"") && $0.contains("outcome=\"unchanged\"")
          && $0.hasSuffix(" 1")
      }, metrics)
    let status = try await w.run(["status", "--config", config, "--json"])
    XCTAssertEqual(status.status, 1, "the denied account is failing\n\(status.all)")
    let statusDocument = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any], status.all)
    let entries = try XCTUnwrap((statusDocument["result"] as? [String: Any])?["deployments"] as? [[String: Any]])
    XCTAssertEqual(
      entries.map { "\($0["name"] ?? "") \($0["state"] ?? "")" },
      [
        "web converged", "web [account denied] failing", "web [account three] converged", "web [account two] converged",
        "web [account two, cn-shanghai] converged",
      ], status.stdout)
    let audit = try await w.run(["audit", "--config", config, "--json"])
    XCTAssertTrue(audit.stdout.contains("lsr-three-443") && audit.stdout.contains("lsr-two-8443"), audit.all)
    XCTAssertTrue(audit.all.contains("[account denied] cannot open a session"), audit.all)
    XCTAssertNotEqual(audit.status, 0, audit.all)
    let online = try await w.run(["config", "check", "--config", config, "--online", "--json"])
    XCTAssertEqual(online.status, 64, online.all)
    let checked = try XCTUnwrap(
      (JSONSerialization.jsonObject(with: Data(online.stdout.utf8)) as? [String: Any])?["result"] as? [String: Any],
      online.all)
    let problems = try XCTUnwrap(checked["problems"] as? [String])
    XCTAssertEqual(problems.count, 1, "only the denied account has a problem: \(problems)")
    XCTAssertTrue(problems.first?.hasPrefix("[account denied] cannot open a session") == true, "\(problems)")
    let state = try String(contentsOfFile: w.root + "/state.json", encoding: .utf8)
    for account in ["1000000000000001", "2000000000000002", "3000000000000003"] {
      XCTAssertTrue(state.contains("account:\(account)"), "the state cache has a scope for \(account)")
    }
  }

  /// The deploy hook fans out like `sync`: every (account, region) of the matched deployment in its own session, a
  /// denied account failing alone; a refused certificate is refused before any account is called.
  func testDeployHookRenewsEveryAccountAndRegionAndRefusesBeforeAnyCall() async throws {
    let w = try await LifecycleWorld.start(seed: Self.seed)
    defer { Task { await w.stop() } }
    let lineage = try w.lineage("web", ["web.example.test"], days: 90)
    let config = try configuration(w, lineage: lineage)

    // A certificate without the server-auth usage, in the deployment's source file: refused, no account called.
    let good = try String(contentsOfFile: lineage.cert, encoding: .utf8)
    let unusable = try w.lineage("client-only", ["web.example.test"], days: 90, serverAuth: false)
    try String(contentsOfFile: unusable.cert, encoding: .utf8).write(toFile: lineage.cert, atomically: true, encoding: .utf8)
    let refused = try await w.run(["deploy-hook", "--config", config, "--cert", lineage.cert, "--key", lineage.key])
    XCTAssertEqual(refused.status, 2, "a certificate clients would reject is refused\n\(refused.all)")
    let none = await w.requestCount()
    XCTAssertEqual(none, 0, "refused before any account was called")
    try good.write(toFile: lineage.cert, atomically: true, encoding: .utf8)

    let result = try await w.run(["deploy-hook", "--config", config, "--cert", lineage.cert, "--key", lineage.key])
    XCTAssertEqual(result.status, 1, "the denied account failed, the others converged\n\(result.all)")
    XCTAssertTrue(result.stdout.contains("By account and region:"), result.stdout)
    XCTAssertTrue(result.stdout.contains("account denied: FAILED"), result.stdout)
    XCTAssertEqual(
      result.stdout.components(separatedBy: "lsr-two-8443").count, 2, "each listener shown once\n\(result.stdout)")
    XCTAssertTrue(result.stderr.contains("[account denied] web: cannot open a session"), result.stderr)
    let primary = await w.certificates(on: "lsr-h1-https")
    let two443 = await listenerCertificates(w, account: "2000000000000002", listener: "lsr-two-443")
    let two8443 = await listenerCertificates(w, account: "2000000000000002", listener: "lsr-two-8443")
    let three = await listenerCertificates(w, account: "3000000000000003", listener: "lsr-three-443")
    XCTAssertEqual([primary.count, two443.count, two8443.count, three.count], [1, 1, 1, 1])
    XCTAssertEqual(two8443, two443, "two regions of one account share its CAS copy")
    var uploads: [String: Int] = [:]
    for record in await w.server.requestLog() where record.action == "UploadUserCertificate" && record.status == 200 {
      uploads[record.accountId ?? "primary", default: 0] += 1
    }
    XCTAssertEqual(uploads, ["primary": 1, "2000000000000002": 1, "3000000000000003": 1])
  }

  /// `audit --probe` over several accounts: every account's listeners are read and handshaken through that
  /// account's own session; the denied account is an error naming it, the others are probed.
  func testAuditProbeHandshakesEveryAccountsListeners() async throws {
    let offset = try LoopbackPort.freeOffset(address: "127.0.1.1", for: [443, 8443])
    let w = try await LifecycleWorld.start(tlsPortOffset: offset, seed: Self.seed)
    defer { Task { await w.stop() } }
    let lineage = try w.lineage("web", ["web.example.test"], days: 90)
    let config = try configuration(w, lineage: lineage)
    let sync = try await w.run(["sync", "--config", config])
    XCTAssertEqual(sync.status, 1, sync.all)
    let caFile = w.root + "/ca.pem"
    try w.write(caFile, w.ca.pem)
    let resolve = ["alb-h1", "alb-two", "alb-three"].flatMap {
      ["--resolve", "\($0).cn-hangzhou.alb.aliyuncs.com:127.0.1.1", "--resolve", "\($0).cn-shanghai.alb.aliyuncs.com:127.0.1.1"]
    }
    let audit = try await w.run(
      ["audit", "--config", config, "--probe", "--port-offset", String(offset), "--ca-file", caFile,
       "--probe-timeout", "2", "--format", "json"] + resolve)
    let document = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any], audit.all)
    let probes = try XCTUnwrap(document["probes"] as? [[String: Any]], audit.stdout)
    let probed = Set(probes.compactMap { ($0["target"] as? [String: Any])?["listenerId"] as? String })
    XCTAssertTrue(
      probed.isSuperset(of: ["lsr-h1-https", "lsr-two-443", "lsr-two-8443", "lsr-three-443"]),
      "every account's listeners were probed: \(probed)\n\(audit.all)")
    XCTAssertTrue(audit.all.contains("[account denied] cannot open a session"), audit.all)
    XCTAssertNotEqual(audit.status, 0, audit.all)
  }

  func testAnUnknownAccountIsAUsageErrorNamingTheTarget() async throws {
    let w = try await LifecycleWorld.start(seed: Self.seed)
    defer { Task { await w.stop() } }
    let config = try w.config(
      """
      version: 1
      accounts:
        - name: two
          profile: two
      deployments:
        - name: web
          domains: [web.example.test]
          targets:
            - listener: lsr-h1-https
            - {listener: lsr-two-443, account: tow}
      """)
    let check = try await w.run(["config", "check", "--config", config])
    XCTAssertEqual(check.status, 64, check.all)
    XCTAssertTrue(check.all.contains("deployments[0].targets[1].account"), check.all)
    let sync = try await w.run(["sync", "--config", config])
    XCTAssertEqual(sync.status, 64, sync.all)
    let requests = await w.requestCount()
    XCTAssertEqual(requests, 0)
  }
}
