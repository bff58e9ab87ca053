import CertificateKit
import Foundation
import XCTest

@testable import CertHookCore
import CertHookTestSupport

/// `sync` over many deployments: no per-deployment CAS search, targets read in one pass, deployments on disjoint
/// listeners run together and deployments sharing a listener one after the other.
final class SyncScaleTests: XCTestCase {
  var root: URL!

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  /// `count` deployments, each its own certificate on its own listener (two load balancers).
  private func fleet(_ count: Int, cloud: FakeCloud) async throws -> CertHookConfiguration {
    var deployments: [Deployment] = []
    for i in 0..<count {
      let listener = String(format: "lsr-scale-%02d", i)
      await cloud.addListener(listener, loadBalancer: i % 2 == 0 ? "alb-even" : "alb-odd", port: 8000 + i, defaultCertificate: nil)
      let name = String(format: "site-%02d.example.test", i)
      let lineage = try Fixtures.writeLineage(try Fixtures.leaf([name]), in: root, name: name)
      deployments.append(
        Deployment(
          name: name, source: .certbotLineage(lineage), domains: [name], targets: [.listener(listener)]))
    }
    return CertHookConfiguration(deployments: deployments)
  }

  func testManyDeploymentsAreMappedWithOneCASListingAndTargetsReadInOnePass() async throws {
    let cloud = FakeCloud()
    let configuration = try await fleet(24, cloud: cloud)
    let state = StateStore(path: root.appendingPathComponent("state.json").path)
    let runner = SyncRunner(configuration: configuration, context: Fixtures.context(cloud, state: state))
    let first = await runner.run()
    XCTAssertFalse(first.report.hasFailures, "\(first.report)")
    XCTAssertEqual(first.report.counts[.updated], 24)
    let calls = await cloud.calls
    let searches = calls.filter { $0.hasPrefix("ListUserCertificateOrder ") && $0 != "ListUserCertificateOrder *" }
    XCTAssertEqual(searches, [], "no CAS search per deployment")
    XCTAssertEqual(calls.filter { $0 == "ListUserCertificateOrder *" }.count, 1, "one listing")
    XCTAssertEqual(calls.filter { $0.hasPrefix("ListListeners") }.count, 1, "every target read in one listing")
    let uploads = await cloud.writes.filter { $0.hasPrefix("UploadUserCertificate") }
    XCTAssertEqual(uploads.count, 24)

    await cloud.resetLog()
    let second = await runner.run()
    XCTAssertEqual(second.report.counts[.unchanged], 24, "\(second.report)")
    let again = await cloud.calls
    XCTAssertFalse(again.contains { $0.hasPrefix("ListUserCertificateOrder") }, "the state cache knows them all")
    let writes = await cloud.writes
    XCTAssertEqual(writes, [])
  }

  /// Each deployment's plan counts every listener of its load balancer for the quota: without the run's book, 24
  /// deployments on two load balancers of 12 listeners read 24 x 12 certificate lists (and each target again).
  func testARunReadsEachListenerOnceHoweverManyDeploymentsShareItsLoadBalancer() async throws {
    let cloud = FakeCloud()
    let configuration = try await fleet(24, cloud: cloud)
    let state = StateStore(path: root.appendingPathComponent("state.json").path)
    let runner = SyncRunner(configuration: configuration, context: Fixtures.context(cloud, state: state))
    let first = await runner.run()
    XCTAssertEqual(first.report.counts[.updated], 24, "\(first.report)")
    let firstReads = await cloud.calls.filter { $0.hasPrefix("ListListenerCertificates ") }
    // One plan read per listener (shared by every deployment on its load balancer) and one verification after
    // each associate; a listener is read again only by a plan made while another deployment was changing it (at
    // most `concurrency - 1` of them at a time), so far below one read per deployment and listener (312 before).
    XCTAssertLessThan(firstReads.count, 24 * 2 + 24 * 3, "\(firstReads.count) reads")
    XCTAssertEqual(Set(firstReads).count, 24)

    await cloud.resetLog()
    let second = await runner.run()
    XCTAssertEqual(second.report.counts[.unchanged], 24, "\(second.report)")
    let calls = await cloud.calls
    let reads = calls.filter { $0.hasPrefix("ListListenerCertificates ") }
    XCTAssertEqual(reads.count, 24, "each listener read once: \(reads.count)")
    XCTAssertEqual(Set(reads).count, 24)
    XCTAssertEqual(calls.filter { $0.hasPrefix("GetListenerAttribute") }, [], "targets known from the run's listing")

    await cloud.resetLog()
    let status = await StatusRunner(configuration: configuration, context: Fixtures.context(cloud, state: state)).run()
    XCTAssertEqual(status.deployments.filter { $0.state == .converged }.count, 24)
    let statusReads = await cloud.calls.filter { $0.hasPrefix("ListListenerCertificates ") }
    XCTAssertEqual(statusReads.count, 24, "status reads each listener once too")
  }

  /// A run's book never outlives the run: a change made between two runs by someone else is seen by the next one.
  func testTheNextRunSeesChangesMadeOutsideCertHook() async throws {
    let cloud = FakeCloud()
    let configuration = try await fleet(4, cloud: cloud)
    let context = Fixtures.context(cloud)
    let runner = SyncRunner(configuration: configuration, context: context)
    let first = await runner.run()
    XCTAssertEqual(first.report.counts[.updated], 4, "\(first.report)")
    // Someone removes the certificate from one listener by hand.
    let served = await cloud.certificateIds(on: "lsr-scale-02")
    _ = try await cloud.dissociateCertificates(
      listenerId: "lsr-scale-02", certificateIds: served, clientToken: "by-hand", dryRun: false)
    let second = await runner.run()
    XCTAssertEqual(second.report.counts[.updated], 1, "\(second.report)")
    XCTAssertEqual(second.report.counts[.unchanged], 3)
  }

  /// As the CLI opens it: a new store each run whose scope (account, CAS site) is resolved lazily. The second run
  /// must find every certificate in the cache, not list CAS because the cache was not read yet.
  func testAConvergedRunWithALazilyScopedCacheListsNothingInCAS() async throws {
    let cloud = FakeCloud()
    let configuration = try await fleet(12, cloud: cloud)
    let path = root.appendingPathComponent("state.json").path
    let scope = StateScope(casEndpoint: "https://cas.example.test", account: "account:1")
    func store() -> StateStore { StateStore(path: path, resolveScope: { scope }) }
    let first = await SyncRunner(configuration: configuration, context: Fixtures.context(cloud, state: store())).run()
    XCTAssertEqual(first.report.counts[.updated], 12, "\(first.report)")
    await cloud.resetLog()
    let second = await SyncRunner(configuration: configuration, context: Fixtures.context(cloud, state: store())).run()
    XCTAssertEqual(second.report.counts[.unchanged], 12, "\(second.report)")
    let listings = await cloud.calls.filter { $0.hasPrefix("ListUserCertificateOrder") }
    XCTAssertEqual(listings, [], "the cache knows every certificate")
  }

  func testDeploymentsSharingAListenerRunOneAfterTheOther() {
    let waves = DeploymentWaves.waves([["a"], ["b"], ["a", "c"], ["d"], ["c"], ["a"]])
    XCTAssertEqual(waves, [[0, 1, 3], [2], [4, 5]])
    XCTAssertEqual(DeploymentWaves.waves([["x"], ["y"], ["z"]]), [[0, 1, 2]], "disjoint: all at once")
    XCTAssertEqual(DeploymentWaves.waves([]), [])
  }

  func testTwoDeploymentsOfOneListenerStillNeverUndoEachOther() async throws {
    let cloud = FakeCloud()
    await cloud.addListener("lsr-shared", loadBalancer: "alb-1", defaultCertificate: nil)
    var deployments: [Deployment] = []
    for name in ["a.example.test", "b.example.test"] {
      let lineage = try Fixtures.writeLineage(try Fixtures.leaf([name]), in: root, name: name)
      deployments.append(
        Deployment(name: name, source: .certbotLineage(lineage), domains: [name], targets: [.listener("lsr-shared")]))
    }
    let runner = SyncRunner(
      configuration: CertHookConfiguration(deployments: deployments), context: Fixtures.context(cloud))
    let first = await runner.run()
    XCTAssertFalse(first.report.hasFailures, "\(first.report)")
    XCTAssertEqual(first.report.counts[.updated], 2)
    let served = await cloud.certificateIds(on: "lsr-shared")
    XCTAssertEqual(served.count, 2)
    await cloud.resetLog()
    let second = await runner.run()
    XCTAssertEqual(second.report.counts[.unchanged], 2)
  }
}
