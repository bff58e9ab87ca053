import CertHookCore
import CertHookTestSupport
import Foundation
import XCTest

/// Issue 15: `accounts:` and each target's `account:`/`region:` decode (mistakes name the key path), and
/// `FleetRunner` runs every (account, region) on its own session, one failing session failing only its own part.
final class FleetTests: XCTestCase {
  private static let yaml = """
    version: 1
    region: cn-hangzhou
    accounts:
      - name: prod
        profile: prod-base
        assumeRole: {roleArn: 'acs:ram::1111222233334444:role/certhook'}
      - name: shop
        accessKeyId: AKID
        accessKeySecret: not-shown
    deployments:
      - name: web
        domains: [web.example.test]
        targets:
          - lsr-default
          - {listener: lsr-prod-hz, account: prod}
          - {loadBalancer: alb-prod-sg, account: prod, region: ap-southeast-1}
          - {listener: lsr-shop, account: shop, region: cn-shanghai}
      - name: api
        domains: [api.example.test]
        targets:
          - {listener: lsr-prod-hz-2, account: prod}
    """

  func testAccountsAndPlacementsDecode() throws {
    let (config, warnings) = try CertHookConfiguration.decode(yaml: Self.yaml, source: "c.yaml")
    XCTAssertEqual(warnings, [])
    XCTAssertEqual(config.accounts.map(\.name), ["prod", "shop"])
    XCTAssertEqual(config.accounts[0].credentials.profile, "prod-base")
    XCTAssertEqual(config.accounts[0].credentials.assumeRole?.roleArn, "acs:ram::1111222233334444:role/certhook")
    XCTAssertEqual(config.accounts[1].credentials.accessKeyId, "AKID")
    XCTAssertFalse("\(config.accounts[1].credentials)".contains("not-shown"))
    XCTAssertEqual(
      config.deployments[0].placements,
      [
        .standard, TargetPlacement(account: "prod"), TargetPlacement(account: "prod", region: "ap-southeast-1"),
        TargetPlacement(account: "shop", region: "cn-shanghai"),
      ])
    XCTAssertEqual(config.deployments[1].placement(ofTarget: 0), TargetPlacement(account: "prod"))
    XCTAssertEqual(
      config.placements().map(\.description),
      ["default account", "account prod", "account prod, ap-southeast-1", "account shop, cn-shanghai"])
    XCTAssertTrue(config.spansPlacements())
    let prod = config.restricted(to: TargetPlacement(account: "prod"))
    XCTAssertEqual(prod.deployments.map(\.name), ["web", "api"])
    XCTAssertEqual(prod.deployments[0].targets, [.listener("lsr-prod-hz")])
    XCTAssertEqual(config.permissionWarning(path: "c.yaml", mode: 0o644)?.contains("chmod 600"), true,
      "a secret in accounts: needs a private file too")
  }

  func testMistakesNameTheKeyPath() {
    let cases: [(String, String)] = [
      (Self.yaml.replacingOccurrences(of: "account: shop,", with: "account: shoop,"), "deployments[0].targets[3].account"),
      (Self.yaml.replacingOccurrences(of: "region: cn-shanghai", with: "region: 'CN Shanghai'"), "deployments[0].targets[3].region"),
      (Self.yaml.replacingOccurrences(of: "name: shop", with: "name: prod"), "accounts[1].name"),
      (Self.yaml.replacingOccurrences(of: "  - name: shop\n", with: "  - nom: shop\n"), "accounts[1].name"),
      (Self.yaml.replacingOccurrences(of: "    accessKeySecret: not-shown\n", with: ""), "accounts[1]"),
      (Self.yaml.replacingOccurrences(of: "role/certhook", with: "user/x"), "accounts[0].assumeRole.roleArn"),
    ]
    for (yaml, path) in cases {
      XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml"), path) { error in
        guard case CertHookError.configuration(let got, _) = error else { return XCTFail("\(error)") }
        XCTAssertEqual(got, path)
      }
    }
  }

  func testAConfigurationWithoutAccountsKeepsOneSession() throws {
    let (config, _) = try CertHookConfiguration.decode(
      yaml: "version: 1\ndeployments:\n  - name: x\n    domains: [a.test]\n    targets: [lsr-1, {listener: lsr-2}]\n",
      source: "c.yaml")
    XCTAssertFalse(config.spansPlacements())
    XCTAssertEqual(config.deployments[0].placements, [])
    XCTAssertEqual(config.placements(), [.standard])
  }

  func testOneFailingSessionFailsOnlyItsPlacementAndSitesLeadTheirFollowers() async throws {
    let (config, _) = try CertHookConfiguration.decode(yaml: Self.yaml, source: "c.yaml")
    let log = OpenLog()
    let runner = FleetRunner(
      configuration: config,
      session: { placement, body in
        await log.opened(placement)
        if placement.account == "shop" { throw CertHookError.cloud(code: nil, message: "refused") }
        // Each placement's result says which deployments reached it (no cloud needed for this test).
        let part = config.restricted(to: placement)
        await log.finished(placement)
        return SyncResult(
          plans: [], report: DeploymentReport(dryRun: false, warnings: ["\(placement): \(part.deployments.map(\.name))"]))
      },
      casSite: { _ in "one site" })
    let fleet = await runner.sync()
    XCTAssertEqual(fleet.groups.map(\.placement.description), config.placements().map(\.description))
    XCTAssertEqual(fleet.groups.map(\.succeeded), [true, true, true, false])
    let shop = try XCTUnwrap(fleet.groups.last)
    XCTAssertEqual(shop.deployments, ["web"])
    XCTAssertEqual(shop.sessionError?.contains("refused"), true)
    XCTAssertEqual(
      fleet.merged.report.errors,
      ["[account shop, cn-shanghai] web: cannot open a session: \(CertHookError.cloud(code: nil, message: "refused")); "
        + "nothing was uploaded or changed for its targets here"])
    XCTAssertEqual(fleet.groups[1].deployments, ["web", "api"])
    XCTAssertEqual(
      fleet.merged.report.warnings,
      ["default account: [\"web\"]", "account prod: [\"web\", \"api\"]", "account prod, ap-southeast-1: [\"web\"]"])
    // Every placement opens its session at once: a follower of the same CAS site waits for its lead only to map.
    let order = await log.events
    XCTAssertEqual(order.filter { $0.hasPrefix("open") }.count, 4)
  }

  /// Two regions of one account on one CAS site: the lead uploads; the follower opens its session and finds its
  /// listeners meanwhile, then takes what the lead mapped (no second search or detail lookup, no second upload).
  func testAFollowerTakesTheCertificateItsLeadMapped() async throws {
    let root = try Fixtures.tempDirectory()
    let issued = try Fixtures.leaf(["example.test"])
    let lineage = try Fixtures.writeLineage(issued, in: root)
    let yaml = """
      version: 1
      region: cn-hangzhou
      deployments:
        - name: web
          domains: [example.test]
          source: {certbotLineage: \(lineage)}
          targets:
            - {listener: lsr-hz, region: cn-hangzhou}
            - {listener: lsr-sh, region: cn-shanghai}
      """
    let (config, _) = try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml")
    let fake = FakeCloud()
    await fake.addListener("lsr-hz", loadBalancer: "alb-hz", defaultCertificate: nil)
    await fake.addListener("lsr-sh", loadBalancer: "alb-sh", defaultCertificate: nil)
    let log = OpenLog()
    let runner = FleetRunner(
      configuration: config,
      session: { placement, body in
        await log.opened(placement)
        if placement.description.contains("hangzhou") {
          // The lead maps only once its follower's session is open (which it was not, while followers waited).
          await log.lead(sawFollowerOpen: await log.waitForOpen(containing: "shanghai"))
        }
        let result = await body(Fixtures.context(fake))
        await log.finished(placement)
        return result
      },
      casSite: { _ in "one site" })
    let fleet = await runner.sync()
    XCTAssertEqual(fleet.groups.map(\.succeeded), [true, true], "\(fleet.merged.report.errors)")
    let calls = await fake.calls
    XCTAssertEqual(calls.filter { $0.hasPrefix("UploadUserCertificate") }.count, 1, "\(calls)")
    XCTAssertEqual(calls.filter { $0.hasPrefix("ListUserCertificateOrder") }.count, 1, "\(calls)")
    XCTAssertEqual(calls.filter { $0.hasPrefix("GetUserCertificateDetail") }.count, 1, "\(calls)")
    let identifier = await fake.requireIdentifier(sha256: issued.certificate.sha256Fingerprint)
    let onHZ = await fake.certificateIds(on: "lsr-hz")
    let onSH = await fake.certificateIds(on: "lsr-sh")
    XCTAssertEqual(onHZ, [identifier])
    XCTAssertEqual(onSH, [identifier])
    // Uploaded by the lead, found by the follower.
    XCTAssertEqual(fleet.groups.map { $0.result.report.certificates.map(\.wasUploaded) }, [[true], [false]])
    let sawFollowerOpen = await log.sawFollowerOpen
    let events = await log.events
    XCTAssertEqual(sawFollowerOpen, true, "\(events)")
  }
}

private actor OpenLog {
  var events: [String] = []
  var sawFollowerOpen: Bool?
  func opened(_ placement: TargetPlacement) { events.append("open \(placement)") }
  func finished(_ placement: TargetPlacement) { events.append("done \(placement)") }
  func lead(sawFollowerOpen: Bool) { self.sawFollowerOpen = sawFollowerOpen }

  /// Whether a placement whose description holds `text` opened within a few seconds (a guard, not a timing).
  func waitForOpen(containing text: String) async -> Bool {
    for _ in 0..<500 {
      if events.contains(where: { $0.hasPrefix("open") && $0.contains(text) }) { return true }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return false
  }
}

