import CertHookCore
import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

final class InterruptedRunTests: XCTestCase {
  var root: URL!

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  func testPredecessorStaysUntilTheNewCertificateReallyServes() async throws {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"], until: 300)
    let defId = await cloud.addCAS(def)
    await cloud.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: defId)
    let old = try Fixtures.leaf(["example.test"], until: 10)
    let oldId = await cloud.addCAS(old)
    await cloud.attach(oldId, to: "lsr-1")
    // An earlier run was killed right after asking to associate the new certificate.
    let new = try Fixtures.leaf(["example.test"], until: 90)
    let newId = await cloud.addCAS(new)
    await cloud.attach(newId, to: "lsr-1", status: "Associating")
    let oldIdentifier = await cloud.requireIdentifier(of: oldId)

    let runner = AttachRunner(context: Fixtures.context(cloud))
    let request = AttachRequest(
      certificate: .identifier(await cloud.requireIdentifier(of: newId)), listeners: ["lsr-1"])
    let stuck = try await runner.run(request)
    XCTAssertEqual(stuck.plan.listeners[0].actions.map(\.kind), [.dissociate])
    XCTAssertTrue(stuck.report.hasFailures, "an association that never completes must not retire the old certificate")
    let stillThere = await cloud.certificateIds(on: "lsr-1")
    XCTAssertTrue(stillThere.contains(oldIdentifier))

    await cloud.setStatus(newId, on: "lsr-1", "Associated")
    let done = try await runner.run(request)
    XCTAssertFalse(done.report.hasFailures, "\(done.report)")
    let after = await cloud.certificateIds(on: "lsr-1")
    XCTAssertFalse(after.contains(oldIdentifier))
  }

  func testUnreadableCertificateDetailsAreLeftAlone() async throws {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"], until: 300)
    let defId = await cloud.addCAS(def)
    await cloud.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: defId)
    let old = try Fixtures.leaf(["example.test"], until: 10)
    let oldId = await cloud.addCAS(old)
    await cloud.attach(oldId, to: "lsr-1")
    await cloud.setDetailFailing(oldId)
    let new = try Fixtures.leaf(["example.test"], until: 90)
    let newId = await cloud.addCAS(new)
    let result = try await AttachRunner(context: Fixtures.context(cloud)).run(
      AttachRequest(certificate: .identifier(await cloud.requireIdentifier(of: newId)), listeners: ["lsr-1"]))
    XCTAssertFalse(result.report.hasFailures)
    let oldIdentifier = await cloud.requireIdentifier(of: oldId)
    XCTAssertTrue(
      result.plan.listeners[0].notes.contains(
        "left lsr-1 cert \(oldIdentifier) alone: its CAS details could not be read"))
    let after = await cloud.certificateIds(on: "lsr-1")
    XCTAssertTrue(after.contains(oldIdentifier))
  }

  func testAuditByListenerAndTargets() async throws {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"], until: 20)
    let defId = await cloud.addCAS(def)
    await cloud.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: defId)
    await cloud.addListener("lsr-2", loadBalancer: "alb-2", defaultCertificate: defId)
    await cloud.addListener("lsr-80", loadBalancer: "alb-2", protocol: "HTTP", port: 80, defaultCertificate: nil)
    let audit = AuditRunner(context: Fixtures.context(cloud))
    let one = await audit.run(loadBalancerIds: [], listenerIds: ["lsr-1"])
    XCTAssertEqual(one.rows.map(\.listenerId), ["lsr-1"])
    XCTAssertEqual(one.rows.first?.status, "warning")
    XCTAssertEqual(one.rows.first?.daysRemaining, 20)
    XCTAssertEqual(one.exitCode, 1)
    let targets = await audit.run(targets: [.listener("lsr-80"), .loadBalancer("alb-2", protocols: nil, ports: nil)])
    XCTAssertEqual(targets.rows.map(\.listenerId), ["lsr-2"])
    XCTAssertEqual(targets.errors.count, 1, "\(targets.errors)")
    let all = await audit.run(loadBalancerIds: [])
    XCTAssertEqual(all.rows.count, 2)
  }
}

final class OverlappingDeploymentTests: XCTestCase {
  func testOverlappingDeploymentsDoNotUndoEachOther() async throws {
    let root = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"], until: 300)
    let defId = await cloud.addCAS(def)
    await cloud.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: defId)
    let www = try Fixtures.leaf(["www.example.test"], until: 40)
    let wildcard = try Fixtures.leaf(["*.example.test"], until: 80)
    let wwwDir = try Fixtures.writeLineage(www, in: root, name: "www")
    let wildDir = try Fixtures.writeLineage(wildcard, in: root, name: "wild")
    let yaml = """
      version: 1
      deployments:
        - name: www
          source: {certbotLineage: \(wwwDir)}
          domains: [www.example.test]
          targets: [{listener: lsr-1}]
        - name: wild
          source: {certbotLineage: \(wildDir)}
          domains: [api.example.test]
          targets: [{listener: lsr-1}]
      """
    let (config, _) = try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml")
    let state = StateStore(path: root.appendingPathComponent("state.json").path)
    let sync = SyncRunner(configuration: config, context: Fixtures.context(cloud, state: state))
    let first = await sync.run()
    XCTAssertFalse(first.report.hasFailures, "\(first.report)")
    let wwwId = await cloud.requireIdentifier(sha256: www.certificate.sha256Fingerprint)
    let wildId = await cloud.requireIdentifier(sha256: wildcard.certificate.sha256Fingerprint)
    let attached = await cloud.certificateIds(on: "lsr-1")
    XCTAssertTrue(attached.contains(wwwId) && attached.contains(wildId), "\(attached)")
    XCTAssertTrue(first.plans.flatMap { $0.listeners.flatMap(\.notes) }.contains { $0.contains("another deployment") })
    await cloud.resetLog()
    let second = await sync.run()
    XCTAssertFalse(second.report.hasFailures)
    let writes = await cloud.writes
    XCTAssertEqual(writes, [])

    // The wildcard's deploy hook also leaves the www deployment's certificate alone.
    let hook = DeployHookRunner(configuration: config, context: Fixtures.context(cloud, state: state))
    let result = try await hook.run(try HookInvocation.detect(environment: ["RENEWED_LINEAGE": wildDir], arguments: []))
    XCTAssertEqual(result.deployments, ["wild"])
    let afterHook = await cloud.certificateIds(on: "lsr-1")
    XCTAssertTrue(afterHook.contains(wwwId))
  }
}
