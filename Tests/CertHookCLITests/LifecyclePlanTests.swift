import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// Plans that read like `terraform plan`, `--detailed-exitcode`, targets checked before any upload, `status`,
/// `config check` and the `--json` / `--format json` spellings, through the binary against an in-process emulator.
final class LifecyclePlanTests: LifecycleWorldTestCase {

  private func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
  }

  /// Every request after the first `since`, as action names.
  private func actions(since: Int) async -> [String] {
    guard let world = try? w() else { return [] }
    return await world.server.requestLog().dropFirst(since).map(\.action)
  }

  func testDryRunIsGroupedWithEachNoteOnceAndCountsPerAction() async throws {
    let w = try w()
    let old = try w.lineage("old", ["example.test", "www.example.test"], days: 30)
    let seeded = try await w.run([
      "attach", "--cert", old.cert, "--key", old.key, "--load-balancer", "alb-h1", "--load-balancer", "alb-h2",
    ])
    XCTAssertEqual(seeded.status, 0, seeded.all)
    let oldId = try await XCTUnwrapAsync(await w.identifier(of: old.certificate))
    let renewed = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    let config = try w.config(
      """
      version: 1
      deployments:
        - name: example
          source: {certbotLineage: \(renewed.directory)}
          domains: [example.test, www.example.test]
          targets:
            - loadBalancer: alb-h1
            - loadBalancer: alb-h2
      """)
    let dry = try await w.run(["sync", "--config", config, "--dry-run"])
    XCTAssertEqual(dry.status, 0, dry.all)
    XCTAssertTrue(dry.stdout.contains("Plan: 1 upload, 4 associate, 4 dissociate, 0 unchanged\n"), dry.all)
    XCTAssertTrue(dry.stdout.contains("summary: 4 listeners: 4 planned"), dry.all)
    XCTAssertTrue(dry.stdout.contains("deployment example: certificate "), dry.all)
    XCTAssertEqual(occurrences(of: "load balancer alb-h1\n", in: dry.stdout), 1, dry.stdout)
    XCTAssertEqual(occurrences(of: "load balancer alb-h2\n", in: dry.stdout), 1, dry.stdout)
    XCTAssertEqual(occurrences(of: "retire \(oldId)", in: dry.stdout), 1, "the note once:\n\(dry.stdout)")
    XCTAssertTrue(dry.stdout.contains("(lsr-h1-https, lsr-h1-quic, lsr-h2-8443 and 1 more)"), dry.stdout)
    XCTAssertEqual(occurrences(of: "precheck passed", in: dry.stdout), 0, "no per-listener precheck lines:\n\(dry.stdout)")
    XCTAssertEqual(
      occurrences(of: "associate precheck skipped: the certificate is not uploaded yet (", in: dry.stdout), 1, dry.stdout)
    for id in ["lsr-h1-https", "lsr-h1-quic", "lsr-h2-https", "lsr-h2-8443"] {
      XCTAssertEqual(occurrences(of: "    \(id)  ", in: dry.stdout), 1, dry.stdout)
    }
    let lines = dry.stdout.split(separator: "\n").count
    XCTAssertLessThanOrEqual(lines, 4 + 10, "one line per listener plus a few:\n\(dry.stdout)")

    let pending = try await w.run(["sync", "--config", config, "--dry-run", "--detailed-exitcode"])
    XCTAssertEqual(pending.status, 2, "changes pending:\n\(pending.all)")
    let json = try await w.run(["sync", "--config", config, "--dry-run", "--detailed-exitcode", "--format", "json"])
    XCTAssertEqual(json.status, 2, json.all)
    let document = try LifecycleWorld.json(json.stdout)
    XCTAssertEqual(document["exitCode"] as? Int, 2)
    let summary = try XCTUnwrap(document["summary"] as? [String: Any], json.stdout)
    XCTAssertEqual(summary["upload"] as? Int, 1)
    XCTAssertEqual(summary["associate"] as? Int, 4)
    XCTAssertEqual(summary["dissociate"] as? Int, 4)
    try await w.expect(64, ["sync", "--config", config, "--detailed-exitcode"], "needs --dry-run")

    let applied = try await w.run(["sync", "--config", config])
    XCTAssertEqual(applied.status, 0, applied.all)
    XCTAssertTrue(applied.stdout.contains("Applied: 1 upload, 4 associate, 4 dissociate, 0 unchanged\n"), applied.all)
    let converged = try await w.run(["sync", "--config", config, "--dry-run", "--detailed-exitcode"])
    XCTAssertEqual(converged.status, 0, "converged:\n\(converged.all)")
    XCTAssertTrue(converged.stdout.contains("Plan: 0 upload, 0 associate, 0 dissociate, 4 unchanged\n"), converged.all)
  }

  func testAttachToAMissingListenerUploadsNothingAndSaysSoOnce() async throws {
    let w = try w()
    let lineage = try w.lineage("m", ["m.example.test"], days: 90)
    let before = await w.requestCount()
    let result = try await w.run([
      "attach", "--cert", lineage.cert, "--key", lineage.key, "--listener", "lsr-does-not-exist",
      "--listener", "lsr-h1-https",
    ])
    XCTAssertEqual(result.status, 64, result.all)
    XCTAssertEqual(occurrences(of: "ResourceNotFound.Listener", in: result.stdout + result.stderr), 1, result.all)
    XCTAssertTrue(result.stderr.contains("listener lsr-does-not-exist does not exist"), result.all)
    XCTAssertTrue(result.stderr.contains("nothing was uploaded or changed"), result.all)
    let sent = await actions(since: before)
    XCTAssertFalse(sent.contains("UploadUserCertificate"), "nothing uploaded: \(sent)")
    let writes = await w.writes(since: before)
    XCTAssertEqual(writes.count, 0)
    let http = try await w.run(["attach", "--cert", lineage.cert, "--key", lineage.key, "--listener", "lsr-h1-http"])
    XCTAssertEqual(http.status, 64, http.all)
    XCTAssertTrue(http.stderr.contains("only HTTPS and QUIC listeners carry certificates"), http.all)
    let afterHTTP = await w.writes(since: before)
    XCTAssertEqual(afterHTTP.count, 0)
  }

  func testSyncChecksEveryTargetBeforeUploadingAndLeavesABrokenDeploymentAlone() async throws {
    let w = try w()
    let good = try w.lineage("good", ["good.example.test"], days: 90)
    let bad = try w.lineage("bad", ["bad.example.test"], days: 90)
    let config = try w.config(
      """
      version: 1
      deployments:
        - name: good
          source: {certbotLineage: \(good.directory)}
          domains: [good.example.test]
          targets: [{listener: lsr-h1-https}]
        - name: bad
          source: {certbotLineage: \(bad.directory)}
          domains: [bad.example.test]
          targets: [{listener: lsr-h2-https}, {listener: lsr-does-not-exist}]
      """)
    let result = try await w.run(["sync", "--config", config])
    XCTAssertEqual(result.status, 1, result.all)
    XCTAssertTrue(result.stderr.contains("bad: listener lsr-does-not-exist does not exist"), result.all)
    let badId = await w.identifier(of: bad.certificate)
    XCTAssertNil(badId, "the broken deployment's certificate was not uploaded")
    let untouched = await w.certificates(on: "lsr-h2-https")
    XCTAssertEqual(untouched, [])
    let goodId = try await XCTUnwrapAsync(await w.identifier(of: good.certificate))
    let served = await w.certificates(on: "lsr-h1-https")
    XCTAssertEqual(served, [goodId], "the other deployment went on")
  }

  func testStatusShowsEachDeploymentWithoutWritingAnything() async throws {
    let w = try w()
    let live = try w.lineage("live", ["live.example.test"], days: 90)
    let fresh = try w.lineage("fresh", ["fresh.example.test"], days: 60)
    let broken = try w.lineage("broken", ["broken.example.test"], days: 90)
    let config = try w.config(
      """
      version: 1
      deployments:
        - name: live
          source: {certbotLineage: \(live.directory)}
          domains: [live.example.test]
          targets: [{listener: lsr-h2-https}]
        - name: fresh
          source: {certbotLineage: \(fresh.directory)}
          domains: [fresh.example.test]
          targets: [{listener: lsr-h2-8443}]
        - name: broken
          source: {certbotLineage: \(broken.directory)}
          domains: [broken.example.test]
          targets: [{listener: lsr-does-not-exist}]
      """)
    let synced = try await w.run(["sync", "--config", config, "--deployment", "live"])
    XCTAssertEqual(synced.status, 0, synced.all)
    let liveId = try await XCTUnwrapAsync(await w.identifier(of: live.certificate))

    let before = await w.requestCount()
    let text = try await w.run(["status", "--config", config])
    XCTAssertEqual(text.status, 1, "a failing deployment:\n\(text.all)")
    XCTAssertTrue(text.stdout.contains("deployment live: converged"), text.all)
    XCTAssertTrue(text.stdout.contains("deployment fresh: pending"), text.all)
    XCTAssertTrue(text.stdout.contains("deployment broken: failing"), text.all)
    XCTAssertTrue(text.stdout.contains(live.cert), text.all)
    XCTAssertTrue(text.stdout.contains(fresh.certificate.sha256Fingerprint.uppercased()), text.all)
    XCTAssertTrue(text.stdout.contains("CAS ID       not uploaded"), text.all)
    XCTAssertTrue(text.stdout.contains("CAS ID       \(liveId)"), text.all)
    XCTAssertTrue(text.stdout.contains("lsr-does-not-exist"), text.all)
    XCTAssertTrue(text.stdout.contains("summary: 3 deployments: 1 converged, 1 pending, 1 failing"), text.all)
    XCTAssertFalse(text.stdout.contains("\u{1B}["), "no colour off a terminal")
    let sent = await actions(since: before)
    XCTAssertTrue(
      Set(sent).isDisjoint(with: LifecycleWorld.writeActions), "status is read-only, not even a DryRun: \(sent)")

    let json = try await w.run(["status", "--config", config, "--format", "json"])
    let alias = try await w.run(["status", "--config", config, "--json"])
    XCTAssertEqual(json.status, 1, json.all)
    let document = try LifecycleWorld.json(json.stdout)
    let aliased = try LifecycleWorld.json(alias.stdout)
    XCTAssertEqual(alias.status, 1, alias.all)
    XCTAssertEqual(
      ((aliased["result"] as? [String: Any])?["deployments"] as? [[String: Any]])?.compactMap { $0["state"] as? String },
      ["converged", "pending", "failing"], "--json is --format json")
    let deployments = try XCTUnwrap((document["result"] as? [String: Any])?["deployments"] as? [[String: Any]])
    XCTAssertEqual(deployments.compactMap { $0["state"] as? String }, ["converged", "pending", "failing"])
    XCTAssertEqual(deployments[0]["casIdentifier"] as? String, liveId)
    XCTAssertNil(deployments[1]["casIdentifier"], "not uploaded")
    XCTAssertEqual(deployments[1]["sha256"] as? String, fresh.certificate.sha256Fingerprint.uppercased())
    let listeners = try XCTUnwrap(deployments[0]["listeners"] as? [[String: Any]])
    XCTAssertTrue((listeners.first?["serving"] as? [String])?.contains(liveId) ?? false, "\(listeners)")
    let failing = try XCTUnwrap(deployments[2]["listeners"] as? [[String: Any]])
    let error = try XCTUnwrap(failing.first?["error"] as? String)
    XCTAssertEqual(occurrences(of: "ResourceNotFound.Listener", in: error), 1, error)

    try await w.expect(0, ["status", "--config", config, "--deployment", "live"])
    try await w.expect(2, ["status", "--config", config, "--deployment", "fresh"])
    try await w.expect(64, ["status", "--config", config, "--deployment", "nope"])

    guard TerminalRunner.available else { return }
    let binary = try ScanCLIHarness.binary().path
    let onTerminal = try TerminalRunner.run(
      "\(binary) status --config \(config) --state \(w.root)/state.json", environment: w.environment)
    XCTAssertTrue(onTerminal.contains("\u{1B}[31m"), "failing rows are red on a terminal:\n\(onTerminal)")
    XCTAssertTrue(onTerminal.contains("\u{1B}[32m"), "converged rows are green:\n\(onTerminal)")
  }

  func testConfigCheckOfflineAndOnline() async throws {
    let w = try w()
    let good = try w.config(
      """
      version: 1
      deployments:
        - name: example
          domains: [example.test]
          targets: [{listener: lsr-h1-https}, {loadBalancer: alb-h2}]
      """, name: "good.yaml")
    let offline = try await w.run(["config", "check", "--config", good])
    XCTAssertEqual(offline.status, 0, offline.all)
    XCTAssertTrue(offline.stdout.contains("valid (offline check); 1 deployment(s), 2 target(s)"), offline.all)
    let requests = await w.requestCount()
    XCTAssertEqual(requests, 0, "offline makes no API call")
    let online = try await w.run(["config", "check", "--config", good, "--online"])
    XCTAssertEqual(online.status, 0, online.all)
    XCTAssertTrue(online.stdout.contains("every target found and the credentials work"), online.all)

    let missing = try w.config(
      """
      version: 1
      deployments:
        - name: example
          domains: [example.test]
          targets: [{listener: lsr-does-not-exist}, {loadBalancer: alb-nope}]
      """, name: "missing.yaml")
    try await w.expect(0, ["config", "check", "--config", missing], "offline cannot know")
    let missingOnline = try await w.run(["config", "check", "--config", missing, "--online", "--json"])
    XCTAssertEqual(missingOnline.status, 64, missingOnline.all)
    let problems = try XCTUnwrap(
      (try LifecycleWorld.json(missingOnline.stdout)["result"] as? [String: Any])?["problems"] as? [String])
    XCTAssertEqual(problems.count, 2, "\(problems)")
    XCTAssertTrue(problems[0].contains("lsr-does-not-exist"), "\(problems)")
    XCTAssertTrue(problems[1].contains("alb-nope"), "\(problems)")

    let wrongKey = try await w.run(
      ["config", "check", "--config", good, "--online"], extra: ["ALIBABA_CLOUD_ACCESS_KEY_SECRET": "not-the-secret"])
    XCTAssertEqual(wrongKey.status, 64, wrongKey.all)

    let broken = try w.config("version: 1\ndeployments:\n  - name: x\n    targets: [{listener: 3}]\n", name: "broken.yaml")
    let invalid = try await w.run(["config", "check", "--config", broken])
    XCTAssertEqual(invalid.status, 64, invalid.all)
    XCTAssertTrue(invalid.stderr.contains("deployments[0]"), "names the key path:\n\(invalid.all)")
  }

  func testAConfigurationLargerThanTheCapIsRefusedNamingTheLimit() async throws {
    let w = try w()
    let header = "version: 1\ndeployments:\n  - name: x\n    domains: [x.example.test]\n    targets: [{listener: lsr-h1-https}]\n"
    let padding = String(repeating: "# padding comment line, the file is too large to be a configuration\n", count: 70_000)
    let path = try w.config(header + padding, name: "huge.yaml")
    let result = try await w.run(["config", "check", "--config", path])
    XCTAssertEqual(result.status, 64, result.all)
    XCTAssertTrue(result.stderr.contains("larger than 4194304 bytes"), result.all)
    XCTAssertTrue(result.stderr.contains(path), result.all)
    try await w.expect(64, ["sync", "--config", path])
  }

  func testJSONIsSpelledTheSameWayOnEveryCommand() async throws {
    let w = try w()
    let lineage = try w.lineage("j", ["j.example.test"], days: 90)
    for format in [["--json"], ["--format", "json"]] {
      let inspect = try await w.run(["inspect", lineage.cert, "--key", lineage.key] + format, state: false)
      XCTAssertEqual(inspect.status, 0, inspect.all)
      XCTAssertNotNil(try? LifecycleWorld.json(inspect.stdout), "inspect \(format):\n\(inspect.all)")
      let scan = try await w.run(["scan", lineage.cert] + format, state: false)
      XCTAssertEqual(scan.status, 0, scan.all)
      XCTAssertNotNil(try? LifecycleWorld.json(scan.stdout), "scan \(format):\n\(scan.all)")
      let upload = try await w.run(["upload", lineage.cert, "--key", lineage.key, "--dry-run"] + format)
      XCTAssertEqual((try? LifecycleWorld.json(upload.stdout))?["command"] as? String, "upload", upload.all)
      let attach = try await w.run(
        ["attach", "--cert", lineage.cert, "--key", lineage.key, "--listener", "lsr-h1-https", "--dry-run"] + format)
      XCTAssertEqual((try? LifecycleWorld.json(attach.stdout))?["command"] as? String, "attach", attach.all)
      let audit = try await w.run(["audit", "--listener", "lsr-h1-https"] + format)
      XCTAssertNotNil((try? LifecycleWorld.json(audit.stdout))?["summary"], "audit \(format):\n\(audit.all)")
      let prune = try await w.run(["prune", "--dry-run"] + format)
      XCTAssertEqual((try? LifecycleWorld.json(prune.stdout))?["command"] as? String, "prune", prune.all)
      let listeners = try await w.run(["listeners"] + format, state: false)
      XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(listeners.stdout.utf8)), listeners.all)
    }
    try await w.expect(64, ["inspect", lineage.cert, "--json", "--format", "table"], "contradicting spellings")
    try await w.expect(64, ["scan", lineage.cert, "--json", "--format", "prometheus"], "contradicting spellings")
    let table = try await w.run(["upload", lineage.cert, "--key", lineage.key, "--dry-run", "--format", "table"])
    XCTAssertEqual(table.status, 0, table.all)
    XCTAssertNil(try? JSONSerialization.jsonObject(with: Data(table.stdout.utf8)), "table is text:\n\(table.stdout)")
  }
}
