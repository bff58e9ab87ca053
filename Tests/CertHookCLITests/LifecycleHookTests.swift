import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// `certhook deploy-hook` (every exit code, certbot / lego / acme.sh / explicit callers) and `certhook sync`.
final class LifecycleHookTests: LifecycleWorldTestCase {

  /// The minimal file of issue 4, plus a lineage-sourced deployment on alb-h2's 8443 listener.
  private func standardConfig(_ w: LifecycleWorld, extraTargets: String = "") throws -> String {
    try w.config(
      """
      version: 1
      region: cn-hangzhou
      deployments:
        - name: example
          domains: [example.test, www.example.test]
          targets:
            - listener: lsr-h1-https
            - loadBalancer: alb-h2\(extraTargets)
      """)
  }

  private func certbot(_ lineage: LifecycleWorld.Lineage) -> [String: String] {
    ["RENEWED_LINEAGE": lineage.directory, "RENEWED_DOMAINS": lineage.certificate.dnsNames.joined(separator: " ")]
  }

  private func lego(_ lineage: LifecycleWorld.Lineage) -> [String: String] {
    [
      "LEGO_CERT_PATH": lineage.fullchain, "LEGO_CERT_KEY_PATH": lineage.key,
      "LEGO_CERT_DOMAIN": lineage.certificate.dnsNames.joined(separator: ","),
    ]
  }

  func testCertbotHookDeploysToEveryTargetListener() async throws {
    let w = try w()
    let config = try standardConfig(w)
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    // -vvv logs every request on stderr: the harness checks that no secret and no key appears.
    let result = try await w.run(["deploy-hook", "--config", config, "-vvv"], extra: certbot(lineage))
    XCTAssertEqual(result.status, 0, result.all)
    XCTAssertFalse(result.stderr.isEmpty, "-vvv logs")
    XCTAssertTrue(result.stdout.contains("certbot: \(lineage.cert) -> deployment(s) example"), result.all)
    XCTAssertTrue(result.stdout.contains("summary: 3 listeners: 3 updated"), result.all)
    let id = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    for listener in ["lsr-h1-https", "lsr-h2-https", "lsr-h2-8443"] {
      let certs = await w.certificates(on: listener)
      XCTAssertEqual(certs, [id], listener)
    }
    let quic = await w.certificates(on: "lsr-h1-quic")
    XCTAssertEqual(quic, [], "not a target")
  }

  func testLegoV4HookWithCerthookConfigFromTheEnvironmentAndJSON() async throws {
    let w = try w()
    let config = try standardConfig(w)
    let lineage = try w.lineage("lego", ["example.test", "www.example.test"], days: 90)
    let legoCert = w.root + "/lego-example.test.crt"
    try w.write(legoCert, lineage.certificate.pem + w.ca.pem)
    let env = [
      "LEGO_CERT_PATH": legoCert, "LEGO_CERT_KEY_PATH": lineage.key, "LEGO_CERT_DOMAIN": "example.test",
      "CERTHOOK_CONFIG": config,
    ]
    let result = try await w.run(["deploy-hook", "--json"], extra: env)
    XCTAssertEqual(result.status, 0, result.all)
    let document = try LifecycleWorld.json(result.stdout)
    XCTAssertEqual(document["command"] as? String, "deploy-hook")
    XCTAssertEqual(document["exitCode"] as? Int, 0)
    let body = try XCTUnwrap(document["result"] as? [String: Any])
    XCTAssertEqual((body["invocation"] as? [String: Any])?["client"] as? String, "lego-v4")
    XCTAssertEqual(body["deployments"] as? [String], ["example"])
    XCTAssertEqual((body["plans"] as? [Any])?.count, 1)
    let listeners = try XCTUnwrap((body["report"] as? [String: Any])?["listeners"] as? [[String: Any]])
    XCTAssertEqual(listeners.compactMap { $0["outcome"] as? String }, ["updated", "updated", "updated"])

    // Renewal: a new certificate retires the old one everywhere.
    let oldId = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    let renewed = try w.issue(["example.test", "www.example.test"], days: 120)
    try w.write(legoCert, renewed.pem + w.ca.pem)
    let again = try await w.run(["deploy-hook"], extra: env)
    XCTAssertEqual(again.status, 0, again.all)
    let newId = try await XCTUnwrapAsync(await w.identifier(of: renewed))
    XCTAssertTrue(again.stdout.contains("dissociate \(oldId)"), again.all)
    let certs = await w.certificates(on: "lsr-h2-8443")
    XCTAssertEqual(certs, [newId])
  }

  func testExplicitAndAcmeShCallers() async throws {
    let w = try w()
    let config = try standardConfig(w)
    let lineage = try w.lineage("acme", ["example.test", "www.example.test"], days: 90)
    let dry = try await w.run(["deploy-hook", "--config", config, "--cert", lineage.cert, "--key", lineage.key, "--dry-run"])
    XCTAssertEqual(dry.status, 0, dry.all)
    XCTAssertTrue(dry.stdout.contains("3 planned"), dry.all)
    let dryWrites = await w.writes()
    XCTAssertEqual(dryWrites.count, 0, "--dry-run writes nothing")
    let acme = try await w.run([
      "deploy-hook", "--config", config, "--acme-sh", "example.test", lineage.key, lineage.cert, lineage.chain,
      lineage.fullchain,
    ])
    XCTAssertEqual(acme.status, 0, acme.all)
    XCTAssertTrue(acme.stdout.hasPrefix("acme.sh: "), acme.all)
    let v5 = try await w.run(
      ["deploy-hook", "--config", config],
      extra: ["LEGO_HOOK_CERT_PATH": lineage.fullchain, "LEGO_HOOK_CERT_KEY_PATH": lineage.key, "LEGO_HOOK_CERT_DOMAIN": "example.test"])
    XCTAssertEqual(v5.status, 0, v5.all)
    XCTAssertTrue(v5.stdout.hasPrefix("lego-v5: "), v5.all)
    XCTAssertTrue(v5.stdout.contains("3 unchanged"), "already deployed by the acme.sh call:\n\(v5.all)")
    try await w.expect(64, ["deploy-hook", "--config", config, "--acme-sh", "example.test"])
    try await w.expect(64, ["deploy-hook", "--config", config, "--cert", lineage.cert], "--cert needs --key")
  }

  func testSomeListenerFailedExitsOne() async throws {
    let w = try w()
    let config = try standardConfig(w, extraTargets: "\n      - listener: lsr-does-not-exist")
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    let result = try await w.run(["deploy-hook", "--config", config], extra: certbot(lineage))
    XCTAssertEqual(result.status, 1, result.all)
    XCTAssertTrue(result.stdout.contains("lsr-does-not-exist"), result.all)
    XCTAssertTrue(result.stdout.contains("3 updated, 1 failed"), result.all)
    XCTAssertTrue(result.stderr.contains("1 of 4 listener(s) failed: lsr-does-not-exist"), result.all)
    try await w.expect(1, ["deploy-hook", "--config", config], extra: lego(lineage), "lego caller, already deployed elsewhere")
    let id = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    let certs = await w.certificates(on: "lsr-h1-https")
    XCTAssertEqual(certs, [id], "the others were still updated")
  }

  func testRefusedCertificatesExitTwoWithoutAnyAPICall() async throws {
    let w = try w()
    let config = try standardConfig(w)
    let expired = try w.lineage("expired", ["example.test", "www.example.test"], days: -1, notBeforeDays: -90)
    let r1 = try await w.run(["deploy-hook", "--config", config], extra: certbot(expired))
    XCTAssertEqual(r1.status, 2, r1.all)
    try await w.expect(
      2, ["deploy-hook", "--config", config], extra: lego(expired), "the same refusal when lego calls")
    XCTAssertTrue(r1.stderr.contains("refused"), r1.all)
    XCTAssertTrue(r1.stderr.lowercased().contains("expired"), r1.all)

    let clientOnly = try w.lineage("client", ["example.test", "www.example.test"], days: 90, serverAuth: false)
    let r2 = try await w.run(["deploy-hook", "--config", config], extra: certbot(clientOnly))
    XCTAssertEqual(r2.status, 2, r2.all)

    // Matches by source but does not cover the deployment's domains.
    let partial = try w.lineage("partial", ["example.test"], days: 90)
    let sourced = try w.config(
      """
      version: 1
      deployments:
        - name: sourced
          source: {certbotLineage: \(partial.directory)}
          domains: [example.test, www.example.test]
          targets: [{listener: lsr-h1-https}]
      """, name: "sourced.yaml")
    let r3 = try await w.run(["deploy-hook", "--config", sourced], extra: certbot(partial))
    XCTAssertEqual(r3.status, 2, r3.all)
    XCTAssertTrue(r3.stderr.contains("www.example.test"), "the finding names the missing domain:\n\(r3.all)")

    // A key that does not match.
    let mismatched = try w.lineage("mismatch", ["example.test", "www.example.test"], days: 90)
    try w.write(mismatched.key, try PrivateKey.generate(.ecP256).pkcs8PEM(), mode: 0o600)
    let r4 = try await w.run(["deploy-hook", "--config", config], extra: certbot(mismatched))
    XCTAssertEqual(r4.status, 2, r4.all)

    let requests = await w.requestCount()
    XCTAssertEqual(requests, 0, "a refusal makes zero API calls")
  }

  func testNoMatchingDeploymentExitsThree() async throws {
    let w = try w()
    let config = try standardConfig(w)
    let lineage = try w.lineage("other", ["other.test"], days: 90)
    let result = try await w.run(["deploy-hook", "--config", config], extra: certbot(lineage))
    XCTAssertEqual(result.status, 3, result.all)
    XCTAssertTrue(result.stderr.contains("no matching deployment"), result.all)
    try await w.expect(3, ["deploy-hook", "--config", config], extra: lego(lineage), "lego caller")
    let json = try await w.run(["deploy-hook", "--config", config, "--json"], extra: certbot(lineage))
    XCTAssertEqual(json.status, 3, json.all)
    let document = try LifecycleWorld.json(json.stdout)
    XCTAssertEqual(document["exitCode"] as? Int, 3)
    XCTAssertTrue((document["error"] as? String ?? "").contains("other.test"), json.stdout)
    let requests = await w.requestCount()
    XCTAssertEqual(requests, 0)
  }

  func testUsageAndConfigurationErrorsExitSixtyFour() async throws {
    let w = try w()
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    let missing = try await w.run(["deploy-hook", "--config", w.root + "/nope.yaml"], extra: certbot(lineage))
    XCTAssertEqual(missing.status, 64, missing.all)
    XCTAssertTrue(missing.stderr.contains(w.root + "/nope.yaml"), "names the file:\n\(missing.all)")

    let config = try standardConfig(w)
    let noCaller = try await w.run(["deploy-hook", "--config", config])
    XCTAssertEqual(noCaller.status, 64, noCaller.all)
    XCTAssertTrue(noCaller.stderr.contains("RENEWED_LINEAGE"), noCaller.all)

    let bad = try w.config(
      """
      version: 1
      deployments:
        - name: broken
          domains: [example.test]
          targets:
            - listener: lsr-h1-https
            - {}
      """, name: "broken.yaml")
    let broken = try await w.run(["deploy-hook", "--config", bad], extra: certbot(lineage))
    XCTAssertEqual(broken.status, 64, broken.all)
    XCTAssertTrue(broken.stderr.contains("deployments[0].targets[1]"), "names the key path:\n\(broken.all)")

    let envOnly = try w.config(
      "version: 1\ncredentials: environment\ndeployments:\n  - name: e\n    domains: [example.test]\n"
        + "    targets: [{listener: lsr-h1-https}]\n", name: "env.yaml")
    let noKeys = try await w.run(
      ["deploy-hook", "--config", envOnly], extra: certbot(lineage).merging(["ALIBABA_CLOUD_ACCESS_KEY_ID": ""]) { $1 })
    XCTAssertEqual(noKeys.status, 64, noKeys.all)
    XCTAssertTrue(noKeys.stderr.contains("credentials.environment"), noKeys.all)

    let lego = try await w.run(["deploy-hook", "--config", config], extra: ["LEGO_CERT_PATH": lineage.fullchain])
    XCTAssertEqual(lego.status, 64, "lego without LEGO_CERT_KEY_PATH:\n\(lego.all)")
    try await w.expect(64, ["deploy-hook", "--config", config, "--timeout", "0"])
    let requests = await w.requestCount()
    XCTAssertEqual(requests, 0)
  }

  func testTimeoutExitsOneHundredTwentyFour() async throws {
    let w = try w()
    let config = try standardConfig(w)
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    // Jobs are polled every 5 s here, so the deployment cannot finish within the limit.
    let result = try await w.run(
      ["deploy-hook", "--config", config, "--timeout", "0.3"], extra: certbot(lineage).merging(["CERTHOOK_POLL_INTERVAL": "5"]) { $1 })
    XCTAssertEqual(result.status, 124, result.all)
    XCTAssertTrue(result.stderr.contains("--timeout"), result.all)
  }

  func testWarnsWhenAConfigurationHoldingASecretIsReadableByOthers() async throws {
    let w = try w()
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    let config = try w.config(
      """
      version: 1
      credentials: {accessKeyId: testid, accessKeySecret: \(LifecycleWorld.secret)}
      surprise: 1
      deployments:
        - name: example
          domains: [example.test]
          targets: [{listener: lsr-h1-https}]
      """, name: "open.yaml", mode: 0o644)
    let result = try await w.run(["deploy-hook", "--config", config], extra: certbot(lineage))
    XCTAssertEqual(result.status, 0, result.all)
    XCTAssertTrue(result.stderr.contains("chmod 600 \(config)"), result.all)
    XCTAssertTrue(result.stderr.contains("unknown key surprise"), result.all)
  }

  func testSyncConvergesAndASecondRunMakesNoWrites() async throws {
    let w = try w()
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    let config = try w.config(
      """
      version: 1
      deployments:
        - name: lineage
          source: {certbotLineage: \(lineage.directory)}
          domains: [example.test, www.example.test]
          targets:
            - loadBalancer: alb-h1
              protocols: [HTTPS]
            - listener: lsr-h2-8443
      """)
    let dry = try await w.run(["sync", "--config", config, "--dry-run"])
    XCTAssertEqual(dry.status, 0, dry.all)
    XCTAssertTrue(dry.stdout.contains("2 planned"), dry.all)
    let dryWrites = await w.writes()
    XCTAssertEqual(dryWrites.count, 0)

    let first = try await w.run(["sync", "--config", config])
    XCTAssertEqual(first.status, 0, first.all)
    XCTAssertTrue(first.stdout.contains("summary: 2 listeners: 2 updated"), first.all)
    let id = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    let https = await w.certificates(on: "lsr-h1-https")
    let quic = await w.certificates(on: "lsr-h1-quic")
    XCTAssertEqual(https, [id])
    XCTAssertEqual(quic, [], "protocols: [HTTPS] leaves QUIC alone")

    let count = await w.requestCount()
    let second = try await w.run(["sync", "--config", config, "--json"])
    XCTAssertEqual(second.status, 0, second.all)
    let secondWrites = await w.writes(since: count)
    XCTAssertEqual(secondWrites.count, 0, "a second run makes no API writes")
    let document = try LifecycleWorld.json(second.stdout)
    XCTAssertEqual(document["command"] as? String, "sync")
    let report = try XCTUnwrap((document["result"] as? [String: Any])?["report"] as? [String: Any])
    XCTAssertEqual((report["listeners"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String }, ["unchanged", "unchanged"])

    // Without the state cache CAS is still the source of truth: still no writes.
    try FileManager.default.removeItem(atPath: w.root + "/state.json")
    let count2 = await w.requestCount()
    let third = try await w.run(["sync", "--config", config])
    XCTAssertEqual(third.status, 0, third.all)
    let thirdWrites = await w.writes(since: count2)
    XCTAssertEqual(thirdWrites.count, 0)
  }

  func testSyncFailureAndUsageExitCodes() async throws {
    let w = try w()
    let config = try w.config(
      """
      version: 1
      deployments:
        - name: gone
          source: {certbotLineage: \(w.root)/live/missing}
          domains: [example.test]
          targets: [{listener: lsr-h1-https}]
      """)
    let failed = try await w.run(["sync", "--config", config])
    XCTAssertEqual(failed.status, 1, failed.all)
    XCTAssertTrue(failed.stderr.contains("gone"), "names the deployment:\n\(failed.all)")
    try await w.expect(64, ["sync"], extra: ["CERTHOOK_CONFIG": w.root + "/none.yaml"], "CERTHOOK_CONFIG names a missing file")
    try await w.expect(64, ["sync"], "no configuration at the default location")
    try await w.expect(64, ["sync", "--config", config, "--deployment", "nope"])
  }
}
