import AlibabaCloud
import CertHookCore
import CertHookTestSupport
import CloudEmulator
import Foundation
import XCTest

/// Issue 13, `prune` for CLB: the SLB server certificates certhook created (`certhook-…`) that no CLB listener or
/// domain extension uses are deleted, and only those.
final class CLBPruneTests: XCTestCase {
  var root: URL!

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  func testPruneDeletesOnlyTheUnusedServerCertificatesCerthookCreated() async throws {
    var seed = LoadBalancerWorld.seed()
    seed.loadBalancers.append(
      .init(id: "lb-outside", product: .clb, listeners: [.init(id: "", protocol: "HTTPS", port: 443)]))
    let h = try await EmulatorHarness.startForBackend(seed: seed)
    addTeardownBlock { await h.stop() }
    let slb = try h.slbClient()
    let driver = CLBListenerDriver(slb: slb, cas: h.cas, pollInterval: .milliseconds(15))
    let backend = AlibabaCloudBackend(alb: h.alb, cas: h.cas, pollInterval: .milliseconds(15), products: [driver])
    let context = Fixtures.context(backend)
    let names = ["shop.example.test", "www.shop.example.test"]

    // certhook's server certificate of the first certificate is left unused by the renewal.
    for issued in [try Fixtures.leaf(names, from: -60, until: 30), try Fixtures.leaf(names, from: -1, until: 89)] {
      let r = try await AttachRunner(context: context).run(
        AttachRequest(
          certificate: try Fixtures.writeFullchain(issued, in: root), listeners: ["clb:lb-client01:443"]))
      XCTAssertFalse(r.report.hasFailures, "\(r.report)")
    }
    // Somebody else's unused server certificate, and a certhook one used by a load balancer outside the scope.
    let other = try Fixtures.leaf(["other.example.test"])
    let foreign = try await slb.uploadServerCertificate(
      certificatePEM: other.certificate.pem, privateKeyPEM: try other.key.pkcs8PEM(), name: "by-hand")
    let outside = try await slb.uploadServerCertificate(
      certificatePEM: other.certificate.pem, privateKeyPEM: try other.key.pkcs8PEM(), name: "certhook-outside")
    try await slb.setHTTPSListenerServerCertificate(
      loadBalancerId: "lb-outside", port: 443, serverCertificateId: outside.id)

    let state = await h.server.state()
    let servers = state.serverCertificates ?? []
    let inUse = Set(state.listener("lb-client01:443")?.certificates.map(\.certificateId) ?? [])
    XCTAssertEqual(inUse.count, 1)
    let retired = try XCTUnwrap(
      servers.first { $0.name.hasPrefix("certhook-") && $0.aliCloudCertificateId != nil && !inUse.contains($0.id) })
    let scope = CLBPruneScope(driver: driver, loadBalancerKeys: ["clb:lb-client01"])

    // Without a CLB scope, prune is what it was: no server certificate is considered.
    let plain = await PruneRunner(context: context).run(dryRun: true)
    XCTAssertEqual(plain.serverCertificates, [])

    let writesBefore = await h.writes().count
    let dry = await PruneRunner(context: context, clb: scope).run(dryRun: true)
    XCTAssertEqual(dry.errors, [])
    XCTAssertEqual(
      dry.serverCertificates.map { "\($0.id) \($0.outcome.rawValue)" }.sorted(),
      ["\(retired.id) planned", "\(outside.id) planned"].sorted())
    let writesAfterDry = await h.writes().count
    XCTAssertEqual(writesAfterDry, writesBefore, "a dry run deletes nothing")

    let pruned = await PruneRunner(context: context, clb: scope).run(dryRun: false)
    XCTAssertFalse(pruned.hasFailures, "\(pruned)")
    let outcomes = Dictionary(uniqueKeysWithValues: pruned.serverCertificates.map { ($0.id, $0.outcome) })
    XCTAssertEqual(outcomes[retired.id], .deleted)
    XCTAssertEqual(outcomes[outside.id], .inUse, "the API keeps what a load balancer outside the scope uses")
    XCTAssertEqual(
      pruned.serverCertificates.first { $0.id == retired.id }?.casCertificateId, retired.aliCloudCertificateId)

    let left = Set((await h.server.state().serverCertificates ?? []).map(\.id))
    XCTAssertEqual(left, Set(servers.map(\.id)).subtracting([retired.id]))
    XCTAssertTrue(left.contains(foreign.id), "not certhook's: never deleted")
    XCTAssertTrue(left.isSuperset(of: inUse), "in use: never deleted")
    let deletes = await h.writes().filter { $0.action == "DeleteServerCertificate" }
    XCTAssertEqual(deletes.count, 1)

    // The certificates still serve.
    let serving = try await backend.listListenerCertificates("clb:lb-client01:443")
    XCTAssertEqual(serving.filter { !$0.isDefault }.count, 1)
  }

  func testAnUnreadableScopeDeletesNothing() async throws {
    let h = try await EmulatorHarness.startForBackend(seed: LoadBalancerWorld.seed())
    addTeardownBlock { await h.stop() }
    let slb = try h.slbClient()
    let driver = CLBListenerDriver(slb: slb, cas: h.cas, pollInterval: .milliseconds(15))
    let backend = AlibabaCloudBackend(alb: h.alb, cas: h.cas, pollInterval: .milliseconds(15), products: [driver])
    let other = try Fixtures.leaf(["other.example.test"])
    _ = try await slb.uploadServerCertificate(
      certificatePEM: other.certificate.pem, privateKeyPEM: try other.key.pkcs8PEM(), name: "certhook-unused")
    let report = await PruneRunner(
      context: Fixtures.context(backend), clb: CLBPruneScope(driver: driver, loadBalancerKeys: ["clb:lb-missing"])
    ).run(dryRun: false)
    XCTAssertEqual(report.serverCertificates, [])
    XCTAssertTrue(report.errors.contains { $0.contains("CLB server certificate deletion skipped") }, "\(report.errors)")
    let deletes = await h.writes().filter { $0.action == "DeleteServerCertificate" }
    XCTAssertEqual(deletes.count, 0)
  }

  /// CAS pruning keeps an expired certhook upload while its server-certificate copy serves a CLB listener of the
  /// scope (without the scope, prune cannot see that use and would delete it).
  func testCASPruneKeepsAnExpiredUploadWhoseCopyServesACLBListener() async throws {
    let h = try await EmulatorHarness.startForBackend(seed: LoadBalancerWorld.seed())
    addTeardownBlock { await h.stop() }
    let driver = CLBListenerDriver(slb: try h.slbClient(), cas: h.cas, pollInterval: .milliseconds(15))
    let backend = AlibabaCloudBackend(alb: h.alb, cas: h.cas, pollInterval: .milliseconds(15), products: [driver])
    let state = StateStore(path: root.appendingPathComponent("state.json").path)
    let shortLived = try Fixtures.leaf(["shop.example.test"], from: -30, until: 1)
    let r = try await AttachRunner(context: Fixtures.context(backend, state: state)).run(
      AttachRequest(
        certificate: try Fixtures.writeFullchain(shortLived, in: root), listeners: ["clb:lb-client01:443"]))
    XCTAssertFalse(r.report.hasFailures, "\(r.report)")
    let casId = try XCTUnwrap(r.plan.certificate.certId)
    let later = RunnerContext(
      backend: backend, state: state, now: Fixtures.now.addingTimeInterval(3 * 86_400), logger: Fixtures.logger,
      concurrency: 4, jobTimeout: 5)

    let blind = await PruneRunner(context: later).run(dryRun: true)
    XCTAssertEqual(blind.deletions.map(\.certId), [casId], "without the CLB scope the use is invisible")
    let scoped = await PruneRunner(
      context: later, clb: CLBPruneScope(driver: driver, loadBalancerKeys: ["clb:lb-client01"])
    ).run(dryRun: false)
    XCTAssertEqual(scoped.errors, [])
    XCTAssertEqual(scoped.deletions, [], "its copy serves clb:lb-client01:443")
    XCTAssertEqual(scoped.serverCertificates, [], "the copy is in use")
    let casDeletes = await h.writes().filter { $0.action == "DeleteUserCertificate" }
    XCTAssertEqual(casDeletes.count, 0)
  }
}
