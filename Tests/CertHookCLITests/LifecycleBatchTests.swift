import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// `certhook upload`, `attach`, `detach`, `audit` and `prune` through the binary against an in-process emulator.
final class LifecycleBatchTests: LifecycleWorldTestCase {

  func testUploadPrintsTheIdentifierAndUploadsOnlyOnce() async throws {
    let w = try w()
    let lineage = try w.lineage("up", ["up.example.test"], days: 90)
    let dry = try await w.run(["upload", lineage.cert, "--key", lineage.key, "--dry-run"])
    XCTAssertEqual(dry.status, 0, dry.all)
    XCTAssertTrue(dry.stderr.contains("would be uploaded"), dry.all)
    let writesAfterDryRun = await w.writes()
    XCTAssertEqual(writesAfterDryRun.count, 0, "--dry-run uploads nothing")

    let first = try await w.run(["upload", lineage.cert, "--key", lineage.key, "--chain", lineage.chain])
    XCTAssertEqual(first.status, 0, first.all)
    let identifier = await w.identifier(of: lineage.certificate)
    XCTAssertEqual(first.stdout, (identifier ?? "missing") + "\n")
    XCTAssertTrue(first.stdout.hasSuffix("-cn-hangzhou\n"))

    let count = await w.requestCount()
    let second = try await w.run(["upload", lineage.cert, "--key", lineage.key, "--json"])
    XCTAssertEqual(second.status, 0, second.all)
    let secondWrites = await w.writes(since: count)
    XCTAssertEqual(secondWrites.count, 0, "already in CAS: no second upload")
    let document = try LifecycleWorld.json(second.stdout)
    XCTAssertEqual(document["command"] as? String, "upload")
    XCTAssertEqual(document["exitCode"] as? Int, 0)
    let result = try XCTUnwrap(document["result"] as? [String: Any])
    XCTAssertEqual(result["identifier"] as? String, identifier)
    XCTAssertEqual(result["dnsNames"] as? [String], ["up.example.test"])
    XCTAssertEqual(result["wasUploaded"] as? Bool, false)
  }

  func testUploadRefusesAnExpiredCertificateWithoutCallingTheAPI() async throws {
    let w = try w()
    let lineage = try w.lineage("old", ["old.example.test"], days: -2, notBeforeDays: -90)
    let result = try await w.run(["upload", lineage.cert, "--key", lineage.key])
    XCTAssertEqual(result.status, 2, result.all)
    XCTAssertTrue(result.stderr.hasPrefix("error: refused"), result.all)
    XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "one line")
    let requests = await w.requestCount()
    XCTAssertEqual(requests, 0)
    try await w.expect(2, ["upload", w.root + "/missing.pem", "--key", lineage.key])
    try await w.expect(64, ["upload", lineage.cert], "--key is required")
  }

  func testAttachDryRunChangesNothingThenAttachExecutesThePlan() async throws {
    let w = try w()
    let lineage = try w.lineage("a", ["a.example.test", "www.a.example.test"], days: 90)
    let args = ["attach", "--cert", lineage.cert, "--key", lineage.key, "--chain", lineage.chain,
                "--load-balancer", "alb-h1", "--listener", "lsr-h2-https"]
    let dry = try await w.run(args + ["--dry-run"])
    XCTAssertEqual(dry.status, 0, dry.all)
    XCTAssertTrue(dry.stdout.hasPrefix("dry run: nothing was changed"), dry.all)
    for id in ["lsr-h1-https", "lsr-h1-quic", "lsr-h2-https"] {
      XCTAssertTrue(dry.stdout.contains("\(id)  "), "plan lists \(id):\n\(dry.stdout)")
    }
    XCTAssertFalse(dry.stdout.contains("lsr-h1-http "), "HTTP listeners carry no certificates")
    XCTAssertTrue(dry.stdout.contains("summary: 3 listeners: 3 planned"), dry.all)
    let dryWrites = await w.writes()
    XCTAssertEqual(dryWrites.count, 0, "dry run must not write")

    let real = try await w.run(args)
    XCTAssertEqual(real.status, 0, real.all)
    XCTAssertTrue(real.stdout.contains("summary: 3 listeners: 3 updated"), real.all)
    let id = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    for listener in ["lsr-h1-https", "lsr-h1-quic", "lsr-h2-https"] {
      let certs = await w.certificates(on: listener)
      XCTAssertEqual(certs, [id], listener)
    }
    let untouched = await w.certificates(on: "lsr-h2-8443")
    XCTAssertEqual(untouched, [], "a listener not selected is untouched")

    // Now in CAS: the ID alone is enough, and a re-run is a no-op with zero writes.
    let count = await w.requestCount()
    let again = try await w.run(["attach", "--cert", id, "--load-balancer", "alb-h1", "--listener", "lsr-h2-https"])
    XCTAssertEqual(again.status, 0, again.all)
    XCTAssertTrue(again.stdout.contains("3 unchanged"), again.all)
    let againWrites = await w.writes(since: count)
    XCTAssertEqual(againWrites.count, 0)
  }

  func testAttachRetiresTheCertificateItSupersedesAndLeavesOthersAlone() async throws {
    let w = try w()
    let old = try w.lineage("old", ["r.example.test"], days: 30)
    let other = try w.lineage("other", ["other.example.test"], days: 60)
    for l in [old, other] {
      let r = try await w.run(["attach", "--cert", l.cert, "--key", l.key, "--listener", "lsr-h2-https"])
      XCTAssertEqual(r.status, 0, r.all)
    }
    let oldId = try await XCTUnwrapAsync(await w.identifier(of: old.certificate))
    let otherId = try await XCTUnwrapAsync(await w.identifier(of: other.certificate))
    let renewed = try w.lineage("new", ["r.example.test", "www.r.example.test"], days: 90)
    let result = try await w.run(["attach", "--cert", renewed.cert, "--key", renewed.key, "--listener", "lsr-h2-https"])
    XCTAssertEqual(result.status, 0, result.all)
    let newId = try await XCTUnwrapAsync(await w.identifier(of: renewed.certificate))
    XCTAssertTrue(result.stdout.contains("associate \(newId); dissociate \(oldId)"), result.all)
    let certs = await w.certificates(on: "lsr-h2-https")
    XCTAssertEqual(certs, [newId, otherId].sorted())

    // --replace none keeps the predecessor.
    let newer = try w.lineage("newer", ["r.example.test"], days: 120)
    let kept = try await w.run(["attach", "--cert", newer.cert, "--key", newer.key, "--listener", "lsr-h2-https", "--replace", "none"])
    XCTAssertEqual(kept.status, 0, kept.all)
    let after = await w.certificates(on: "lsr-h2-https")
    XCTAssertTrue(after.contains(newId), "--replace none retires nothing")
    XCTAssertEqual(after.count, 3)
  }

  func testAttachFiltersAndDefaultMode() async throws {
    let w = try w()
    let lineage = try w.lineage("filters", ["filters.example.test"], days: 90)
    let byPort = try await w.run(["attach", "--cert", lineage.cert, "--key", lineage.key, "--load-balancer", "alb-h2", "--port", "8443"])
    XCTAssertEqual(byPort.status, 0, byPort.all)
    let id = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    let on8443 = await w.certificates(on: "lsr-h2-8443")
    let on443 = await w.certificates(on: "lsr-h2-https")
    XCTAssertEqual(on8443, [id])
    XCTAssertEqual(on443, [], "--port 8443 leaves port 443 alone")
    let byProtocol = try await w.run(["attach", "--cert", id, "--load-balancer", "alb-h1", "--protocol", "quic"])
    XCTAssertEqual(byProtocol.status, 0, byProtocol.all)
    let quic = await w.certificates(on: "lsr-h1-quic")
    let https = await w.certificates(on: "lsr-h1-https")
    XCTAssertEqual(quic, [id])
    XCTAssertEqual(https, [])

    let asDefault = try await w.run(["attach", "--cert", id, "--listener", "lsr-h2-https", "--default"])
    XCTAssertEqual(asDefault.status, 0, asDefault.all)
    let state = await w.server.state()
    let listener = state.loadBalancers.flatMap(\.listeners).first { $0.id == "lsr-h2-https" }
    XCTAssertEqual(listener?.defaultCertificateId, id, "--default replaces the default certificate")
  }

  func testProgressLineOnlyWhenStandardErrorIsATerminal() async throws {
    let w = try w()
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
      throw XCTSkip("util-linux `script` (a pseudo-terminal) is not installed")
    }
    let lineage = try w.lineage("tty", ["tty.example.test"], days: 90)
    let binary = try ScanCLIHarness.binary().path
    let out = w.root + "/tty-out.txt"
    let typescript = w.root + "/typescript"
    // `script` gives the command a pseudo-terminal; stdout goes to a file, stderr stays on the terminal.
    let command = "\(binary) attach --cert \(lineage.cert) --key \(lineage.key) --load-balancer alb-h1 "
      + "--state \(w.root)/state.json > \(out)"
    let result = try await w.run(["-qec", command, typescript], executable: "/usr/bin/script")
    XCTAssertEqual(result.status, 0, result.all)
    let terminal = try String(contentsOfFile: typescript, encoding: .utf8)
    XCTAssertTrue(terminal.contains("[1/2] lsr-h1-"), terminal)
    XCTAssertTrue(terminal.contains("[2/2] lsr-h1-"), terminal)
    let stdout = try String(contentsOfFile: out, encoding: .utf8)
    XCTAssertTrue(stdout.contains("summary: 2 listeners: 2 updated"), stdout)
    XCTAssertFalse(stdout.contains("[1/2]"), "the progress line never goes to stdout")
  }

  func testAttachJSONHasThePlanAndEveryListenerOutcome() async throws {
    let w = try w()
    let lineage = try w.lineage("j", ["j.example.test"], days: 90)
    let result = try await w.run(["attach", "--cert", lineage.cert, "--key", lineage.key, "--load-balancer", "alb-h2", "--json"])
    XCTAssertEqual(result.status, 0, result.all)
    let document = try LifecycleWorld.json(result.stdout)
    XCTAssertEqual(document["command"] as? String, "attach")
    XCTAssertEqual(document["exitCode"] as? Int, 0)
    let body = try XCTUnwrap(document["result"] as? [String: Any])
    let plan = try XCTUnwrap(body["plan"] as? [String: Any])
    let planned = try XCTUnwrap(plan["listeners"] as? [[String: Any]])
    XCTAssertEqual(planned.compactMap { $0["listenerId"] as? String }, ["lsr-h2-8443", "lsr-h2-https"])
    let report = try XCTUnwrap(body["report"] as? [String: Any])
    XCTAssertEqual(report["dryRun"] as? Bool, false)
    let listeners = try XCTUnwrap(report["listeners"] as? [[String: Any]])
    XCTAssertEqual(listeners.count, 2)
    for l in listeners {
      XCTAssertEqual(l["outcome"] as? String, "updated")
      XCTAssertEqual(l["loadBalancerId"] as? String, "alb-h2")
      let actions = try XCTUnwrap(l["actions"] as? [[String: Any]])
      XCTAssertEqual(actions.first?["kind"] as? String, "associate")
    }
    let certificate = try XCTUnwrap((report["certificates"] as? [[String: Any]])?.first)
    XCTAssertEqual(certificate["wasUploaded"] as? Bool, true)
    XCTAssertEqual(result.stderr, "", "no progress line when stderr is not a terminal")
  }

  func testOneFailingListenerDoesNotStopTheOthers() async throws {
    let w = try w()
    let lineage = try w.lineage("f", ["f.example.test"], days: 90)
    let result = try await w.run([
      "attach", "--cert", lineage.cert, "--key", lineage.key, "--listener", "lsr-h1-https", "--listener", "lsr-missing",
      "--listener", "lsr-h2-https",
    ])
    // Issue 10: a named listener that does not exist is found before anything is uploaded or changed.
    XCTAssertEqual(result.status, 64, result.all)
    XCTAssertTrue(result.stderr.contains("lsr-missing"), result.all)
    let uploaded = await w.identifier(of: lineage.certificate)
    XCTAssertNil(uploaded, "nothing uploaded")
    let a = await w.certificates(on: "lsr-h1-https")
    let b = await w.certificates(on: "lsr-h2-https")
    XCTAssertEqual(a, [])
    XCTAssertEqual(b, [])

    // Without it, every listener is done.
    let fine = try await w.run([
      "attach", "--cert", lineage.cert, "--key", lineage.key, "--listener", "lsr-h1-https", "--listener", "lsr-h2-https",
    ])
    XCTAssertEqual(fine.status, 0, fine.all)
    XCTAssertTrue(fine.stdout.contains("summary: 2 listeners: 2 updated"), fine.all)
    let id = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    let a2 = await w.certificates(on: "lsr-h1-https")
    let b2 = await w.certificates(on: "lsr-h2-https")
    XCTAssertEqual(a2, [id])
    XCTAssertEqual(b2, [id])
  }

  func testAttachUsageErrors() async throws {
    let w = try w()
    let lineage = try w.lineage("u", ["u.example.test"], days: 90)
    try await w.expect(64, ["attach", "--cert", lineage.cert, "--key", lineage.key], "no target")
    try await w.expect(64, ["attach", "--cert", lineage.cert, "--listener", "lsr-h1-https", "--replace", "all"])
    try await w.expect(64, ["attach", "--cert", lineage.cert, "--load-balancer", "alb-h1", "--protocol", "HTTP"])
    let badConfig = try w.config("version: 2\ndeployments: []\n", name: "bad.yaml")
    let bad = try await w.run(["attach", "--cert", lineage.cert, "--key", lineage.key, "--listener", "lsr-h1-https", "--config", badConfig])
    XCTAssertEqual(bad.status, 64, bad.all)
    XCTAssertTrue(bad.stderr.contains("version"), bad.all)
    let requests = await w.requestCount()
    XCTAssertEqual(requests, 0)
  }

  func testDetachDryRunThenDetach() async throws {
    let w = try w()
    let lineage = try w.lineage("d", ["d.example.test"], days: 90)
    let attached = try await w.run(["attach", "--cert", lineage.cert, "--key", lineage.key, "--load-balancer", "alb-h2"])
    XCTAssertEqual(attached.status, 0, attached.all)
    let count = await w.requestCount()
    let dry = try await w.run(["detach", "--cert", lineage.cert, "--load-balancer", "alb-h2", "--dry-run", "--json"])
    XCTAssertEqual(dry.status, 0, dry.all)
    let dryWrites = await w.writes(since: count)
    XCTAssertEqual(dryWrites.count, 0)
    let document = try LifecycleWorld.json(dry.stdout)
    let report = try XCTUnwrap((document["result"] as? [String: Any])?["report"] as? [String: Any])
    XCTAssertEqual(report["dryRun"] as? Bool, true)
    XCTAssertEqual((report["listeners"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String }, ["planned", "planned"])

    let real = try await w.run(["detach", "--cert", lineage.cert, "--listener", "lsr-h2-https"])
    XCTAssertEqual(real.status, 0, real.all)
    XCTAssertTrue(real.stdout.contains("lsr-h2-https"), real.all)
    let left = await w.certificates(on: "lsr-h2-https")
    let kept = await w.certificates(on: "lsr-h2-8443")
    XCTAssertEqual(left, [])
    XCTAssertEqual(kept.count, 1, "only the named listener")
  }

  func testAuditFormatsAndExitCodes() async throws {
    let w = try w()
    let ok = try w.lineage("ok", ["ok.example.test"], days: 90)
    let warning = try w.lineage("warn", ["warn.example.test"], days: 20)
    let critical = try w.lineage("crit", ["crit.example.test"], days: 5)
    for (l, listener) in [(ok, "lsr-h1-https"), (warning, "lsr-h2-https"), (critical, "lsr-h2-8443")] {
      let r = try await w.run(["attach", "--cert", l.cert, "--key", l.key, "--listener", listener])
      XCTAssertEqual(r.status, 0, r.all)
    }
    let count = await w.requestCount()
    let fine = try await w.run(["audit", "--listener", "lsr-h1-https"])
    XCTAssertEqual(fine.status, 0, fine.all)
    XCTAssertTrue(fine.stdout.contains("ok.example.test"), fine.all)
    XCTAssertTrue(fine.stdout.contains("2 certificates: 2 ok"), "the default certificate counts too:\n\(fine.stdout)")
    try await w.expect(1, ["audit", "--listener", "lsr-h2-https"])
    try await w.expect(0, ["audit", "--listener", "lsr-h2-https", "--warn-days", "10"])
    try await w.expect(2, ["audit", "--load-balancer", "alb-h2"])
    try await w.expect(1, ["audit", "--listener", "lsr-h2-8443", "--critical-days", "3", "--warn-days", "10"])
    try await w.expect(3, ["audit", "--listener", "lsr-nowhere"], "nothing could be scanned")
    try await w.expect(64, ["audit", "--warn-days", "3", "--critical-days", "7"])
    try await w.expect(64, ["audit", "--format", "yaml"])

    let json = try await w.run(["audit", "--load-balancer", "alb-h2", "--format", "json"])
    XCTAssertEqual(json.status, 2, json.all)
    let document = try LifecycleWorld.json(json.stdout)
    let rows = try XCTUnwrap(document["certificates"] as? [[String: Any]])
    XCTAssertEqual(rows.count, 4, "two listeners, each with its default and one additional certificate")
    XCTAssertEqual(rows.first?["status"] as? String, "critical", "soonest expiry first")
    XCTAssertEqual(rows.first?["domains"] as? [String], ["crit.example.test"])
    XCTAssertEqual(rows.first?["listenerId"] as? String, "lsr-h2-8443")
    XCTAssertNotNil(rows.first?["daysRemaining"] as? Int)
    let summary = try XCTUnwrap(document["summary"] as? [String: Any])
    XCTAssertEqual(summary["exitCode"] as? Int, 2)
    XCTAssertEqual(summary["critical"] as? Int, 1)
    XCTAssertEqual(summary["warning"] as? Int, 1)

    let prometheus = try await w.run(["audit", "--load-balancer", "alb-h1", "--format", "prometheus"])
    XCTAssertEqual(prometheus.status, 0, prometheus.all)
    XCTAssertTrue(prometheus.stdout.contains("# TYPE x509_cert_not_after gauge"))
    XCTAssertTrue(prometheus.stdout.contains("listener=\"lsr-h1-https\""), prometheus.stdout)
    XCTAssertTrue(prometheus.stdout.contains("subject_CN=\"ok.example.test\""), prometheus.stdout)
    let auditWrites = await w.writes(since: count)
    XCTAssertEqual(auditWrites.count, 0, "audit is read-only")
  }

  func testAuditUsesTheConfigurationTargetsWithoutSelectors() async throws {
    let w = try w()
    let critical = try w.lineage("crit", ["crit.example.test"], days: 5)
    let attached = try await w.run(["attach", "--cert", critical.cert, "--key", critical.key, "--listener", "lsr-h2-8443"])
    XCTAssertEqual(attached.status, 0, attached.all)
    let config = try w.config(
      """
      version: 1
      deployments:
        - name: one
          domains: [ok.example.test]
          targets: [{listener: lsr-h1-https}]
      """)
    let narrow = try await w.run(["audit", "--config", config])
    XCTAssertEqual(narrow.status, 0, "lsr-h2-8443 is not a target:\n\(narrow.all)")
    XCTAssertFalse(narrow.stdout.contains("lsr-h2-8443"))
    let everything = try await w.run(["audit"])
    XCTAssertEqual(everything.status, 2, "without configuration: every load balancer\n\(everything.all)")
  }

  func testPruneDryRunAndRun() async throws {
    let w = try w()
    let lineage = try w.lineage("p", ["p.example.test"], days: 90)
    let attached = try await w.run(["attach", "--cert", lineage.cert, "--key", lineage.key, "--listener", "lsr-h1-https"])
    XCTAssertEqual(attached.status, 0, attached.all)
    let count = await w.requestCount()
    let dry = try await w.run(["prune", "--dry-run"])
    XCTAssertEqual(dry.status, 0, dry.all)
    XCTAssertTrue(dry.stdout.hasPrefix("dry run: nothing was changed"), dry.all)
    XCTAssertTrue(dry.stdout.contains("summary: 0 certificate(s) to dissociate, 0 CAS upload(s) to delete"), dry.all)
    let json = try await w.run(["prune", "--load-balancer", "alb-h1", "--json"])
    XCTAssertEqual(json.status, 0, json.all)
    let document = try LifecycleWorld.json(json.stdout)
    XCTAssertEqual(document["command"] as? String, "prune")
    let result = try XCTUnwrap(document["result"] as? [String: Any])
    XCTAssertEqual(result["dryRun"] as? Bool, false)
    XCTAssertEqual((result["deletions"] as? [Any])?.count, 0)
    XCTAssertNotNil(result["dissociations"] as? [String: Any])
    let writes = await w.writes(since: count)
    XCTAssertEqual(writes.count, 0, "nothing is expired: nothing to prune")
    let still = await w.certificates(on: "lsr-h1-https")
    XCTAssertEqual(still.count, 1)
  }

  func testPruneRetiresAnExpiredCoveredCertificateAndDeletesItsUpload() async throws {
    let w = try w()
    // Valid for a few seconds only: attachable now, expired by the time prune runs.
    let short = try w.issue(["s.example.test"], days: 6.0 / 86_400)
    let shortDir = w.root + "/short"
    try FileManager.default.createDirectory(atPath: shortDir, withIntermediateDirectories: true)
    try w.write(shortDir + "/cert.pem", short.pem)
    try w.write(shortDir + "/key.pem", try w.key.pkcs8PEM(), mode: 0o600)
    let first = try await w.run(["attach", "--cert", shortDir + "/cert.pem", "--key", shortDir + "/key.pem", "--listener", "lsr-h1-https"])
    XCTAssertEqual(first.status, 0, first.all)
    let long = try w.lineage("long", ["s.example.test"], days: 90)
    let second = try await w.run(
      ["attach", "--cert", long.cert, "--key", long.key, "--listener", "lsr-h1-https", "--replace", "none"])
    XCTAssertEqual(second.status, 0, second.all)
    let shortId = try await XCTUnwrapAsync(await w.identifier(of: short))
    let longId = try await XCTUnwrapAsync(await w.identifier(of: long.certificate))
    let both = await w.certificates(on: "lsr-h1-https")
    XCTAssertEqual(both, [shortId, longId].sorted())

    let wait = w.now.addingTimeInterval(7).timeIntervalSinceNow
    if wait > 0 { try await Task.sleep(for: .milliseconds(Int64(wait * 1000))) }
    let count = await w.requestCount()
    let dry = try await w.run(["prune", "--dry-run"])
    XCTAssertEqual(dry.status, 0, dry.all)
    XCTAssertTrue(dry.stdout.contains("dissociate \(shortId)"), dry.all)
    XCTAssertTrue(dry.stdout.contains("would delete CAS certificate"), dry.all)
    let dryWrites = await w.writes(since: count)
    XCTAssertEqual(dryWrites.count, 0, "prune --dry-run changes nothing")

    let real = try await w.run(["prune", "--json"])
    XCTAssertEqual(real.status, 0, real.all)
    let document = try LifecycleWorld.json(real.stdout)
    let result = try XCTUnwrap(document["result"] as? [String: Any])
    let deletions = try XCTUnwrap(result["deletions"] as? [[String: Any]])
    XCTAssertEqual(deletions.compactMap { $0["outcome"] as? String }, ["deleted"])
    let left = await w.certificates(on: "lsr-h1-https")
    XCTAssertEqual(left, [longId], "the expired certificate is retired, the valid one stays")
    let identifierAfter = await w.identifier(of: short)
    XCTAssertNil(identifierAfter, "the expired upload is deleted from CAS")
    let kept = await w.identifier(of: long.certificate)
    XCTAssertEqual(kept, longId)
  }
}

/// `XCTUnwrap` for a value computed by an `await` expression.
func XCTUnwrapAsync<T>(_ value: T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
  try XCTUnwrap(value, file: file, line: line)
}
