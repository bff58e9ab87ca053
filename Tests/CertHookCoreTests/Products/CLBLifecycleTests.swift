import AlibabaCloud
import CertHookCore
import CertHookTestSupport
import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// Issue 13, CLB through the real engine (`AttachRunner`: planner + executor, as `attach` and `sync` run them)
/// against the emulator, with `CLBListenerDriver` behind `AlibabaCloudBackend`: first deploy, no-op rerun, renewal
/// without a moment uncovered, unrelated certificates untouched, quota full, busy listener, bad certificate, dry run.
final class CLBLifecycleTests: XCTestCase {
  let listener = "clb:lb-client01:443"
  let emulatorListener = "lb-client01:443"
  let names = ["shop.example.test", "www.shop.example.test"]
  var root: URL!

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  struct World {
    let harness: EmulatorHarness
    let backend: AlibabaCloudBackend
    let driver: CLBListenerDriver
    let slb: SLBClient

    var context: RunnerContext { Fixtures.context(backend) }
  }

  func start(_ seed: EmulatorSeed = LoadBalancerWorld.seed(), faults: FaultSpec = .none, faultSeed: UInt64 = 1)
    async throws -> World
  {
    let h = try await EmulatorHarness.startForBackend(seed: seed, faults: faults, faultSeed: faultSeed)
    addTeardownBlock { await h.stop() }
    let slb = try h.slbClient()
    let driver = CLBListenerDriver(slb: slb, cas: h.cas, pollInterval: .milliseconds(15))
    let backend = AlibabaCloudBackend(alb: h.alb, cas: h.cas, pollInterval: .milliseconds(15), products: [driver])
    return World(harness: h, backend: backend, driver: driver, slb: slb)
  }

  func attach(
    _ issued: Issued, _ w: World, listeners: [String]? = nil, loadBalancers: [String] = [],
    mode: DeploymentMode = .additional, dryRun: Bool = false
  ) async throws -> BatchResult {
    try await AttachRunner(context: w.context).run(
      AttachRequest(
        certificate: try Fixtures.writeFullchain(issued, in: root), listeners: listeners ?? [listener],
        loadBalancers: loadBalancers, mode: mode, dryRun: dryRun))
  }

  /// The extensions of the emulator's listener: domain -> (extension ID, server certificate ID).
  func extensions(_ w: World) async -> [String: (id: String, server: String)] {
    let l = await w.harness.listener(emulatorListener)
    var result: [String: (id: String, server: String)] = [:]
    for a in l?.certificates ?? [] { result[a.domain ?? ""] = (a.domainExtensionId ?? "", a.certificateId) }
    return result
  }

  func serverCertificates(_ w: World) async -> [EmulatorState.ServerCertificate] {
    await w.harness.server.state().serverCertificates ?? []
  }

  func slbWrites(_ w: World) async -> [String] {
    await w.harness.writes().filter { $0.product == "slb" }.map(\.action)
  }

  /// A server certificate uploaded as PEM (not from CAS), as another tool would.
  func foreignServerCertificate(_ w: World) async throws -> SLBServerCertificate {
    let other = try Fixtures.leaf(["other.example.test", "a.other.test", "b.other.test"])
    return try await w.slb.uploadServerCertificate(
      certificatePEM: other.certificate.pem, privateKeyPEM: try other.key.pkcs8PEM(), name: "by-hand")
  }

  // MARK: - Tests

  /// Listeners changed at the same time share one server certificate: the first creates it, the others reuse it.
  func testListenersChangedTogetherShareOneServerCertificate() async throws {
    var seed = LoadBalancerWorld.seed()
    if let index = seed.loadBalancers.firstIndex(where: { $0.id == LoadBalancerWorld.clb }) {
      seed.loadBalancers[index].listeners += (1...5).map { .init(id: "", protocol: "HTTPS", port: 8440 + $0) }
    }
    let w = try await start(seed)
    let r = try await attach(try Fixtures.leaf(names), w, loadBalancers: ["clb:\(LoadBalancerWorld.clb)"])
    XCTAssertFalse(r.report.hasFailures, "\(r.report)")
    XCTAssertEqual(r.report.listeners.filter { $0.outcome == .updated }.count, 6)
    let uploads = await slbWrites(w).filter { $0 == "UploadServerCertificate" }
    XCTAssertEqual(uploads.count, 1, "one copy of the CAS certificate for the whole run")
  }

  func testFirstDeployBindsEveryNameThroughOneServerCertificateAndARerunWritesNothing() async throws {
    let w = try await start()
    let seededDefault = await w.harness.listener(emulatorListener)?.defaultCertificateId
    let cert = try Fixtures.leaf(names)
    // By load balancer: the driver lists the CLB's listeners (HTTPS 443 and HTTP 80) and the engine keeps 443.
    let first = try await attach(cert, w, listeners: [], loadBalancers: ["clb:lb-client01"])
    XCTAssertFalse(first.report.hasFailures, "\(first.report)")
    XCTAssertEqual(first.report.listeners.map(\.listenerId), [listener])
    XCTAssertEqual(first.report.listeners.first?.outcome, .updated)
    let identifier = try XCTUnwrap(first.plan.certificate.identifier)
    let casId = try XCTUnwrap(RemoteCertificate.casId(fromIdentifier: identifier))

    let bound = await extensions(w)
    XCTAssertEqual(Set(bound.keys), Set(names))
    let servers = await serverCertificates(w)
    let ours = try XCTUnwrap(servers.first { $0.aliCloudCertificateId == casId })
    XCTAssertTrue(ours.name.hasPrefix("certhook-\(casId)-"), ours.name)
    XCTAssertEqual(Set(bound.values.map(\.server)), [ours.id], "one server certificate serves every name")
    let afterDefault = await w.harness.listener(emulatorListener)?.defaultCertificateId
    XCTAssertEqual(afterDefault, seededDefault, "the default certificate is not touched")

    // The engine's view: the default (not from CAS) as slb:<id>, the new one by its CAS identifier.
    let listed = try await w.backend.listListenerCertificates(listener)
    XCTAssertEqual(
      Set(listed.map { "\($0.certificateId) \($0.isDefault) \($0.status)" }),
      ["slb:\(seededDefault ?? "") true Associated", "\(identifier) false Associated"])
    let got = try await w.backend.getListener(listener)
    XCTAssertEqual(got.defaultCertificateId, "slb:\(seededDefault ?? "")")
    XCTAssertEqual(got.status, "Running")
    XCTAssertEqual(got.loadBalancerId, "clb:lb-client01")
    let firstWrites = await slbWrites(w)
    XCTAssertEqual(firstWrites, ["UploadServerCertificate", "CreateDomainExtension", "CreateDomainExtension"])

    // A rerun: zero writes of any product.
    let before = await w.harness.writes().count
    let again = try await attach(cert, w)
    XCTAssertEqual(again.report.listeners.first?.outcome, .unchanged, "\(again.report)")
    let after = await w.harness.writes().count
    XCTAssertEqual(after, before)
  }

  /// The test world plus `lb-many`, a CLB with four HTTPS listeners (ports 8001-8004).
  static func manyListenersSeed() -> EmulatorSeed {
    var seed = LoadBalancerWorld.seed()
    seed.loadBalancers.append(
      .init(
        id: "lb-many", product: .clb,
        listeners: (1...4).map { .init(id: "", protocol: "HTTPS", port: 8000 + $0) }))
    return seed
  }

  /// Found by the reliability suites' concurrent runs: two certhook runs at the same moment (two drivers) each made
  /// a server certificate, and the slower one's `CreateDomainExtension` was refused (`DomainExtensionExist`) because
  /// the other had just created that name's extension: exit 1. Now both finish and every listener ends on one copy.
  func testTwoRunsAtOnceBothSucceedAndKeepOneServerCertificate() async throws {
    let w = try await start(Self.manyListenersSeed())
    let other = CLBListenerDriver(slb: try w.harness.slbClient(), cas: w.harness.cas, pollInterval: .milliseconds(15))
    let second = AlibabaCloudBackend(
      alb: w.harness.alb, cas: w.harness.cas, pollInterval: .milliseconds(15), products: [other])
    let cert = try Fixtures.leaf(names)
    let file = try Fixtures.writeFullchain(cert, in: root)
    let request = AttachRequest(certificate: file, listeners: [], loadBalancers: ["clb:lb-many"])
    async let a = AttachRunner(context: w.context).run(request)
    async let b = AttachRunner(context: Fixtures.context(second)).run(request)
    let (ra, rb) = try await (a, b)
    XCTAssertFalse(ra.report.hasFailures, "\(ra.report)")
    XCTAssertFalse(rb.report.hasFailures, "\(rb.report)")
    let casId = try XCTUnwrap(RemoteCertificate.casId(fromIdentifier: try XCTUnwrap(ra.plan.certificate.identifier)))
    let copies = Set(await serverCertificates(w).filter { $0.aliCloudCertificateId == casId }.map(\.id))
    var used = Set<String>()
    for port in 8001...8004 {
      let bound = await w.harness.listener("lb-many:\(port)")?.certificates ?? []
      XCTAssertEqual(Set(bound.compactMap(\.domain)), Set(names), "lb-many:\(port)")
      used.formUnion(bound.map(\.certificateId))
    }
    XCTAssertEqual(used.count, 1, "every listener on one copy: \(used)")
    XCTAssertEqual(copies, used, "the other run's copy was deleted again")
  }

  /// Found by the reliability suites' crash series: a run killed between the two `SetDomainExtensionAttribute`
  /// swaps of a renewal left one name on the successor; the next run saw the successor on the listener, retired
  /// the predecessor and deleted the other name's extension: a gap. Now that extension is handed over in place.
  func testARenewalAKilledRunLeftHalfSwappedIsCompletedWithoutUncoveringAName() async throws {
    let w = try await start(Self.manyListenersSeed())
    let old = try Fixtures.leaf(names, from: -60, until: 30)
    let r1 = try await attach(old, w, listeners: ["clb:lb-many:8001", "clb:lb-many:8002"])
    XCTAssertFalse(r1.report.hasFailures, "\(r1.report)")
    let renewed = try Fixtures.leaf(names, from: -1, until: 89)
    let r2 = try await attach(renewed, w, listeners: ["clb:lb-many:8002"])
    XCTAssertFalse(r2.report.hasFailures, "\(r2.report)")
    let renewedListener = await w.harness.listener("lb-many:8002")
    let copy = try XCTUnwrap(renewedListener?.certificates.first?.certificateId)
    // What the killed run did on lb-many:8001: the first swap only.
    let halfway = await w.harness.listener("lb-many:8001")
    let first = try XCTUnwrap(halfway?.certificates.first { $0.domain == names[0] }?.domainExtensionId)
    try await w.slb.setDomainExtensionCertificate(domainExtensionId: first, serverCertificateId: copy)

    let r3 = try await attach(renewed, w, listeners: ["clb:lb-many:8001"])
    XCTAssertFalse(r3.report.hasFailures, "\(r3.report)")
    let bound = await w.harness.listener("lb-many:8001")?.certificates ?? []
    XCTAssertEqual(Set(bound.compactMap(\.domain)), Set(names), "both names still have their extension")
    XCTAssertEqual(Set(bound.map(\.certificateId)), [copy])
    let events = await w.harness.server.events()
    XCTAssertEqual(CoverageReplay.gaps(events, listener: "lb-many:8001", domains: names).gaps, [])
  }

  func testRenewalSwapsEveryExtensionInPlaceRetiresThePredecessorAndLeavesNoGap() async throws {
    let w = try await start()
    let old = try Fixtures.leaf(names, from: -60, until: 30)
    let r1 = try await attach(old, w)
    XCTAssertFalse(r1.report.hasFailures, "\(r1.report)")
    let oldId = r1.plan.certificate.identifier
    let before = await extensions(w)

    let renewed = try Fixtures.leaf(names, from: -1, until: 89)
    let r2 = try await attach(renewed, w)
    XCTAssertFalse(r2.report.hasFailures, "\(r2.report)")
    let newId = r2.plan.certificate.identifier
    XCTAssertEqual(r2.report.listeners.first?.outcome, .updated)
    XCTAssertTrue(
      r2.plan.listeners.first?.actions.contains { $0.kind == .dissociate && $0.certificateIds == [oldId] } ?? false,
      "the planner retires the predecessor: \(r2.plan.listeners)")

    let after = await extensions(w)
    XCTAssertEqual(Set(after.keys), Set(names))
    for name in names {
      XCTAssertEqual(after[name]?.id, before[name]?.id, "\(name): the same extension, swapped in place")
      XCTAssertNotEqual(after[name]?.server, before[name]?.server)
    }
    let listed = try await w.backend.listListenerCertificates(listener).map(\.certificateId)
    XCTAssertTrue(listed.contains(newId))
    XCTAssertFalse(listed.contains(oldId), "the predecessor is retired")
    let writes = await slbWrites(w)
    XCTAssertEqual(writes.filter { $0 == "SetDomainExtensionAttribute" }.count, 2)
    XCTAssertFalse(writes.contains("DeleteDomainExtension"), "nothing was left to delete after the swap")

    let events = await w.harness.server.events()
    let gaps = CoverageReplay.gaps(events, listener: emulatorListener, domains: names).gaps
    XCTAssertEqual(gaps, [])
    // The replay can fail: without the swaps' associations of the new server certificate, the names go uncovered.
    let newServer = try XCTUnwrap(after[names[0]]?.server)
    let broken = events.filter { !($0.kind == .certificateAssociated && $0.certificateId == newServer) }
    let brokenGaps = CoverageReplay.gaps(broken, listener: emulatorListener, domains: names).gaps
    XCTAssertTrue(brokenGaps.contains { $0.contains("shop.example.test uncovered") }, "\(brokenGaps)")
    XCTAssertTrue(brokenGaps.contains { $0.contains("www.shop.example.test uncovered") }, "\(brokenGaps)")
  }

  func testUnrelatedCertificatesAndExtensionsAreUntouched() async throws {
    let w = try await start()
    let foreign = try await foreignServerCertificate(w)
    let otherExtension = try await w.slb.createDomainExtension(
      loadBalancerId: LoadBalancerWorld.clb, port: 443, domain: "other.example.test", serverCertificateId: foreign.id)
    let before = await extensions(w)

    let r = try await attach(try Fixtures.leaf(names), w)
    XCTAssertFalse(r.report.hasFailures, "\(r.report)")
    let after = await extensions(w)
    XCTAssertEqual(after["other.example.test"]?.id, otherExtension)
    XCTAssertEqual(after["other.example.test"]?.server, foreign.id, "another certificate's domain stays as it was")
    XCTAssertEqual(before.count + 2, after.count)
    let listed = try await w.backend.listListenerCertificates(listener).map(\.certificateId)
    XCTAssertTrue(listed.contains("slb:\(foreign.id)"), "a PEM server certificate is reported as slb:<id>")
    let servers = await serverCertificates(w).map(\.id)
    XCTAssertTrue(servers.contains(foreign.id))

    // Taking one certificate off removes its extensions only.
    _ = try await w.backend.dissociateCertificates(
      listenerId: listener, certificateIds: ["slb:\(foreign.id)"], clientToken: "t", dryRun: false)
    let left = await extensions(w)
    XCTAssertEqual(Set(left.keys), Set(names))
    XCTAssertEqual(left["shop.example.test"]?.server, after["shop.example.test"]?.server)
  }

  func testAFullExtensionQuotaFailsNamingTheQuotaAndChangesNothing() async throws {
    let w = try await start(LoadBalancerWorld.seed(clbQuota: 3))
    let foreign = try await foreignServerCertificate(w)
    for domain in ["a.other.test", "b.other.test"] {
      _ = try await w.slb.createDomainExtension(
        loadBalancerId: LoadBalancerWorld.clb, port: 443, domain: domain, serverCertificateId: foreign.id)
    }
    let extensionsBefore = await extensions(w).mapValues(\.server)
    let serversBefore = await serverCertificates(w).map(\.id)

    // Two names, one free slot: the first extension is created, the second refused, and the first taken back.
    let r = try await attach(try Fixtures.leaf(names), w)
    let outcome = try XCTUnwrap(r.report.listeners.first)
    XCTAssertEqual(outcome.outcome, .failed, "\(r.report)")
    let error = outcome.error ?? ""
    XCTAssertTrue(error.contains("quota"), error)
    XCTAssertTrue(error.contains("quota name domain extensions per CLB listener"), error)
    XCTAssertTrue(error.contains("nothing was changed on this listener"), error)
    let extensionsAfter = await extensions(w).mapValues(\.server)
    XCTAssertEqual(extensionsAfter, extensionsBefore, "nothing half done")
    let serversAfter = await serverCertificates(w).map(\.id)
    XCTAssertEqual(serversAfter, serversBefore, "the server certificate made for it is deleted again")
    let refused = await w.harness.server.requestLog().filter { $0.code == "QuotaExceeded.DomainExtension" }
    XCTAssertEqual(refused.count, 1, "the engine knows the quota from the first refusal and stops")
  }

  func testAFullServerCertificateQuotaFailsNamingItAndChangesNothing() async throws {
    // The seeded 443 listener's generated default is the region's one server certificate.
    let w = try await start(LoadBalancerWorld.seed(serverCertificates: 1))
    let r = try await attach(try Fixtures.leaf(names), w)
    let outcome = try XCTUnwrap(r.report.listeners.first)
    XCTAssertEqual(outcome.outcome, .failed, "\(r.report)")
    let error = outcome.error ?? ""
    XCTAssertTrue(error.contains("QuotaExceeded.ServerCertificate"), error)
    XCTAssertTrue(error.contains("CLB server certificates of region cn-hangzhou are at their quota"), error)
    let bound = await extensions(w)
    XCTAssertEqual(bound.count, 0)
    let writes = await slbWrites(w)
    XCTAssertEqual(writes, [])
  }

  func testABusyListenerIsRetriedUntilEveryChangeIsApplied() async throws {
    let w = try await start(faults: FaultSpec(busyLoadBalancer: 0.5), faultSeed: 5)
    let r = try await attach(try Fixtures.leaf(names), w)
    XCTAssertFalse(r.report.hasFailures, "\(r.report)")
    let d = try await attach(try Fixtures.leaf(["default.example.test"]), w, mode: .default)
    XCTAssertFalse(d.report.hasFailures, "\(d.report)")
    let busy = await w.harness.server.requestLog().filter {
      $0.code == "DomainExtensionProcessing" || $0.code == "ServiceIsConfiguring"
    }
    XCTAssertGreaterThanOrEqual(busy.count, 1, "the fault fired and was ridden out")
    let bound = await extensions(w)
    XCTAssertEqual(Set(bound.keys), Set(names))
    let got = try await w.backend.getListener(listener)
    XCTAssertEqual(got.defaultCertificateId, d.plan.certificate.identifier)
  }

  func testABadCertificateIsRefusedWithNothingChanged() async throws {
    let w = try await start()
    let expired = try Fixtures.leaf(names, from: -90, until: -1)
    do {
      _ = try await attach(expired, w)
      XCTFail("an expired certificate is refused")
    } catch let error as CertHookError {
      XCTAssertTrue("\(error)".contains("expired"), "\(error)")
    }
    // A certificate CAS does not know: refused by the driver before any write.
    do {
      _ = try await w.backend.associateCertificates(
        listenerId: listener, certificateIds: ["999-cn-hangzhou"], clientToken: "t", dryRun: false)
      XCTFail("an unknown CAS certificate is refused")
    } catch let error as CertHookError {
      XCTAssertNotNil(error.apiCode, "\(error)")
    }
    do {
      _ = try await w.backend.associateCertificates(
        listenerId: listener, certificateIds: ["not-an-identifier"], clientToken: "t", dryRun: false)
      XCTFail("a malformed identifier is refused")
    } catch let error as CertHookError {
      XCTAssertTrue("\(error)".contains("<CertId>-<region>"), "\(error)")
    }
    let writes = await w.harness.writes()
    XCTAssertEqual(writes.map(\.action), [])
  }

  func testDryRunsChangeNothing() async throws {
    let w = try await start()
    let cert = try Fixtures.leaf(names)
    let mapped = try await UploadRunner(context: w.context).run(
      certificatePath: try write(cert).cert, keyPath: try write(cert).key)
    let writesBefore = await w.harness.writes().count
    let dry = try await attach(cert, w, dryRun: true)
    XCTAssertEqual(dry.report.listeners.first?.outcome, .planned, "\(dry.report)")
    let dryDefault = try await attach(cert, w, mode: .default, dryRun: true)
    XCTAssertEqual(dryDefault.report.listeners.first?.outcome, .planned, "\(dryDefault.report)")
    _ = try await w.backend.dissociateCertificates(
      listenerId: listener, certificateIds: [mapped.identifier], clientToken: "t", dryRun: true)
    let writesAfter = await w.harness.writes().count
    XCTAssertEqual(writesAfter, writesBefore, "no write, no server certificate")
    let noneYet = await extensions(w)
    XCTAssertEqual(noneYet.count, 0)

    // With the server certificate in place, a default dry run reaches the API's own DryRun and still changes nothing.
    _ = try await attach(cert, w)
    let defaultBefore = await w.harness.listener(emulatorListener)?.defaultCertificateId
    _ = try await w.backend.replaceDefaultCertificate(
      listenerId: listener, certificateId: mapped.identifier, clientToken: "t", dryRun: true)
    let dryRuns = await w.harness.server.requestLog().filter { $0.dryRun }.map(\.action)
    XCTAssertEqual(dryRuns, ["SetLoadBalancerHTTPSListenerAttribute"])
    let defaultAfter = await w.harness.listener(emulatorListener)?.defaultCertificateId
    XCTAssertEqual(defaultAfter, defaultBefore)
    // And a real dissociation deletes exactly the certificate's extensions.
    let attached = await extensions(w)
    XCTAssertEqual(attached.count, 2)
    _ = try await w.backend.dissociateCertificates(
      listenerId: listener, certificateIds: [mapped.identifier], clientToken: "t", dryRun: false)
    let gone = await extensions(w)
    XCTAssertEqual(gone.count, 0)
  }

  func testAnHTTPPortIsReportedWithItsProtocolAndRefused() async throws {
    let w = try await start()
    let http = try await w.backend.getListener("clb:lb-client01:80")
    XCTAssertEqual(http.listenerProtocol, "HTTP")
    XCTAssertFalse(http.carriesCertificates)
    do {
      _ = try await attach(try Fixtures.leaf(names), w, listeners: ["clb:lb-client01:80"])
      XCTFail("an HTTP listener carries no certificate")
    } catch let error as CertHookError {
      XCTAssertTrue("\(error)".contains("nothing was uploaded or changed"), "\(error)")
    }
    let writes = await w.harness.writes().map(\.action)
    XCTAssertEqual(writes, [])
  }

  private func write(_ issued: Issued) throws -> (cert: String, key: String) {
    let dir = root.appendingPathComponent("pem-\(issued.certificate.sha256Fingerprint.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let cert = dir.appendingPathComponent("cert.pem")
    let key = dir.appendingPathComponent("key.pem")
    try (issued.certificate.pem + Fixtures.ca.certificate.pem).write(to: cert, atomically: true, encoding: .utf8)
    try issued.key.pkcs8PEM().write(to: key, atomically: true, encoding: .utf8)
    return (cert.path, key.path)
  }
}
