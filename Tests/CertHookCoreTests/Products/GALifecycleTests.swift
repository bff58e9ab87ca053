import AlibabaCloud
import CertHookCore
import CertHookTestSupport
import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// Global Accelerator HTTPS listeners through the real engine (`attach`: planner + executor) against the emulator
/// (issue 13): certificates bound per domain, renewals swapped in place, writes serialized by the accelerator.
final class GALifecycleTests: XCTestCase {
  var root: URL!
  let key = ListenerAddress.ga(acceleratorId: LoadBalancerWorld.ga, listenerId: LoadBalancerWorld.gaListener)
  let accelerator = ListenerProduct.ga.qualified(LoadBalancerWorld.ga)
  let names = ["example.test", "www.example.test"]
  static let secondListener = "lsr-ga-client-8443"

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  /// `gaRetry`: the GA client's own retry policy (default: the harness's).
  func start(
    seed: EmulatorSeed = LoadBalancerWorld.seed(), jobDelay: Duration = .milliseconds(30), gaRetry: RetryPolicy? = nil
  ) async throws -> ProductLifecycle {
    try await ProductLifecycle.start(seed: seed, jobDelay: jobDelay, root: root) { h in
      var configuration = h.configuration
      if let gaRetry { configuration.retryPolicy = gaRetry }
      return [
        GAListenerDriver(ga: try h.gaClient(configuration: configuration), cas: h.cas, pollInterval: .milliseconds(15))
      ]
    }
  }

  /// The product world with a second HTTPS listener on the accelerator.
  static func twoListenerSeed() -> EmulatorSeed {
    var seed = LoadBalancerWorld.seed()
    if let index = seed.loadBalancers.firstIndex(where: { $0.id == LoadBalancerWorld.ga }) {
      seed.loadBalancers[index].listeners.append(.init(id: secondListener, protocol: "HTTPS", port: 8443))
    }
    return seed
  }

  /// An unrelated certificate bound to `other.test` directly, before certhook runs.
  func bindUnrelated(_ world: ProductLifecycle) async throws -> String {
    let other = try await world.harness.upload(name: "other", domains: ["other.test"])
    let ga = try world.harness.gaClient()
    try await ga.associateAdditionalCertificates(
      acceleratorId: LoadBalancerWorld.ga, listenerId: LoadBalancerWorld.gaListener,
      bindings: [.init(domain: "other.test", certificateId: other.identifier)])
    try await ga.waitUntilActive(
      acceleratorId: LoadBalancerWorld.ga, listenerId: LoadBalancerWorld.gaListener, pollInterval: .milliseconds(15))
    return other.identifier
  }

  func bindings(_ world: ProductLifecycle, _ listener: String = LoadBalancerWorld.gaListener) async throws
    -> [String: String]
  {
    let l = try await world.listener(listener)
    XCTAssertTrue(l.certificates.allSatisfy { $0.status == "Associated" }, "\(l.certificates)")
    return Dictionary(l.certificates.map { ($0.domain ?? "", $0.certificateId) }, uniquingKeysWith: { a, _ in a })
  }

  func testFirstDeployRerunAndRenewalSwapEachDomainInPlace() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let unrelated = try await bindUnrelated(world)
    let defaultBefore = try await world.listener(LoadBalancerWorld.gaListener).defaultCertificateId

    // First deploy, by accelerator: only its HTTPS listener is a target; each name is bound.
    let first = try Fixtures.leaf(names, from: -60, until: 30)
    let r1 = try await world.attach(first, loadBalancers: [accelerator])
    XCTAssertFalse(r1.report.hasFailures, "\(r1.report)")
    XCTAssertEqual(r1.report.listeners.map(\.listenerId), [key])
    let firstId = try await world.identifier(first)
    var bound = try await bindings(world)
    XCTAssertEqual(bound, ["example.test": firstId, "www.example.test": firstId, "other.test": unrelated])
    let http = try await world.listener("lsr-ga-client-80")
    XCTAssertEqual(http.certificates, [], "the HTTP listener is no target")
    let listed = try await world.backend.listListenerCertificates(key)
    XCTAssertEqual(listed.filter { $0.certificateId == firstId }.count, 1, "one entry per certificate: \(listed)")

    // No-op rerun: zero writes.
    let writesBefore = await world.listenerWrites().count
    let r2 = try await world.attach(first, listeners: [key])
    XCTAssertEqual(r2.report.listeners.map(\.outcome), [.unchanged], "\(r2.report)")
    let writesAfterRerun = await world.listenerWrites().count
    XCTAssertEqual(writesAfterRerun, writesBefore)

    // Renewal: both domains swapped in place, nothing unbound, the predecessor gone, the unrelated binding kept.
    let renewed = try Fixtures.leaf(names, from: -1, until: 89)
    let r3 = try await world.attach(renewed, listeners: [key])
    XCTAssertFalse(r3.report.hasFailures, "\(r3.report)")
    XCTAssertEqual(r3.report.listeners.first?.outcome, .updated)
    let renewedId = try await world.identifier(renewed)
    bound = try await bindings(world)
    XCTAssertEqual(bound, ["example.test": renewedId, "www.example.test": renewedId, "other.test": unrelated])
    let renewalWrites = await world.listenerWrites().dropFirst(writesAfterRerun).map(\.action)
    XCTAssertEqual(
      renewalWrites, ["UpdateAdditionalCertificateWithListener", "UpdateAdditionalCertificateWithListener"])
    let defaultAfter = try await world.listener(LoadBalancerWorld.gaListener).defaultCertificateId
    XCTAssertEqual(defaultAfter, defaultBefore, "default left alone")
    let replay = await world.coverageGaps(listener: LoadBalancerWorld.gaListener, domains: names + ["other.test"])
    XCTAssertEqual(replay.gaps, [])
    XCTAssertEqual(replay.covered, Set(names + ["other.test"]))
  }

  /// Found by the reliability suites' crash series: a run killed between the two in-place swaps of a renewal left
  /// example.test on the successor and www.example.test on the predecessor; the next run saw the successor on the
  /// listener, retired the predecessor and unbound www.example.test: a gap. Now the name is handed over in place.
  func testARenewalAKilledRunLeftHalfSwappedIsCompletedWithoutUncoveringAName() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let old = try Fixtures.leaf(names, from: -60, until: 30)
    let r1 = try await world.attach(old, listeners: [key])
    XCTAssertFalse(r1.report.hasFailures, "\(r1.report)")
    let renewed = try Fixtures.leaf(names, from: -1, until: 89)
    try await world.upload(renewed)
    let renewedId = try await world.identifier(renewed)
    // What the killed run did: the first swap only.
    let ga = try world.harness.gaClient()
    try await ga.updateAdditionalCertificate(
      acceleratorId: LoadBalancerWorld.ga, listenerId: LoadBalancerWorld.gaListener, domain: names[0],
      certificateId: renewedId)
    try await ga.waitUntilActive(
      acceleratorId: LoadBalancerWorld.ga, listenerId: LoadBalancerWorld.gaListener, pollInterval: .milliseconds(15))

    let r2 = try await world.attach(renewed, listeners: [key])
    XCTAssertFalse(r2.report.hasFailures, "\(r2.report)")
    let bound = try await bindings(world)
    XCTAssertEqual(bound, [names[0]: renewedId, names[1]: renewedId])
    let replay = await world.coverageGaps(listener: LoadBalancerWorld.gaListener, domains: names)
    XCTAssertEqual(replay.gaps, [])
  }

  func testRetiringACertificateUnbindsOnlyItsDomains() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let unrelated = try await bindUnrelated(world)
    // A single-name certificate, then a certificate for both names: www is bound anew, example.test swapped,
    // and the single-name one (covered) is retired without unbinding anything still in use.
    let single = try Fixtures.leaf(["example.test"])
    _ = try await world.attach(single, listeners: [key])
    let both = try Fixtures.leaf(names)
    let result = try await world.attach(both, listeners: [key])
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    let bothId = try await world.identifier(both)
    let bound = try await bindings(world)
    XCTAssertEqual(bound, ["example.test": bothId, "www.example.test": bothId, "other.test": unrelated])
    // Detach: only its domains go.
    let detached = try await DetachRunner(context: Fixtures.context(world.backend)).run(
      DetachRequest(certificate: .identifier(bothId), listeners: [key]))
    XCTAssertFalse(detached.report.hasFailures, "\(detached.report)")
    let left = try await bindings(world)
    XCTAssertEqual(left, ["other.test": unrelated])
    let dissociations = await world.listenerWrites().filter {
      $0.action == "DissociateAdditionalCertificatesFromListener"
    }
    XCTAssertEqual(dissociations.count, 1)
  }

  /// attach, detach, attach again: the second attach starts from the same state as the first, so its ClientToken
  /// (and each call's token derived from it) repeats; GA replays the old bind, the executor finds the domains
  /// unbound and sends the change again under a new token.
  func testAttachDetachAttachAgainBindsAgain() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let cert = try Fixtures.leaf(names)
    let first = try await world.attach(cert, listeners: [key])
    XCTAssertFalse(first.report.hasFailures, "\(first.report)")
    let id = try await world.identifier(cert)
    let detached = try await DetachRunner(context: Fixtures.context(world.backend)).run(
      DetachRequest(certificate: .identifier(id), listeners: [key]))
    XCTAssertFalse(detached.report.hasFailures, "\(detached.report)")
    let again = try await world.attach(cert, listeners: [key])
    XCTAssertEqual(again.report.listeners.map(\.outcome), [.updated], "\(again.report)")
    let bound = try await bindings(world)
    XCTAssertEqual(bound, ["example.test": id, "www.example.test": id])
    let replayed = await world.harness.server.requestLog().filter {
      $0.product == "ga" && $0.action == "AssociateAdditionalCertificatesWithListener" && $0.replayed
    }
    XCTAssertEqual(replayed.count, 1, "the repeated token was replayed once, then a new one was sent")
  }

  func testQuotaFullFailsNamingTheQuotaWithNothingChanged() async throws {
    let world = try await start(seed: LoadBalancerWorld.seed(gaQuota: 1))
    addTeardownBlock { await world.stop() }
    let unrelated = try await bindUnrelated(world)
    _ = try await world.assertQuotaRefusal(
      names: names, key: key, listener: LoadBalancerWorld.gaListener, loadBalancerKey: accelerator,
      quotaName: "gaplus_quota_additional_certs_per_listener", code: "QuotaExceeded.Certificate", unrelated: unrelated)
  }

  /// New domains are bound before bound ones are swapped: when the bind is refused for the quota, no domain has
  /// been swapped yet (nothing half-done).
  func testAQuotaRefusalLeavesBoundDomainsAsTheyWere() async throws {
    let world = try await start(seed: LoadBalancerWorld.seed(gaQuota: 2))
    addTeardownBlock { await world.stop() }
    let unrelated = try await bindUnrelated(world)
    let single = try Fixtures.leaf(["example.test"])
    let r1 = try await world.attach(single, listeners: [key])
    XCTAssertFalse(r1.report.hasFailures, "\(r1.report)")
    let singleId = try await world.identifier(single)
    let writesBefore = await world.listenerWrites().count

    let result = try await world.attach(try Fixtures.leaf(names), listeners: [key])
    XCTAssertTrue(result.report.hasFailures)
    let error = try XCTUnwrap(result.report.listeners.first?.error)
    XCTAssertTrue(error.contains("gaplus_quota_additional_certs_per_listener"), error)
    let bound = try await bindings(world)
    XCTAssertEqual(bound, ["example.test": singleId, "other.test": unrelated])
    let writesAfter = await world.listenerWrites().count
    XCTAssertEqual(writesAfter, writesBefore, "no swap before the refused bind")
  }

  /// GA's quota is each listener's own: a full listener fails, refused once, and its sibling on the same
  /// accelerator, changed after the refusal, is still deployed (the refusal fails no other listener).
  func testAFullListenerFailsAloneWhileItsSiblingIsDeployed() async throws {
    var seed = Self.twoListenerSeed()
    if let index = seed.loadBalancers.firstIndex(where: { $0.id == LoadBalancerWorld.ga }) {
      seed.loadBalancers[index].certificateQuota = 2
    }
    let world = try await start(seed: seed)
    addTeardownBlock { await world.stop() }
    let ga = try world.harness.gaClient()
    for name in ["other.test", "another.test"] {
      let other = try await world.harness.upload(name: name, domains: [name])
      try await ga.associateAdditionalCertificates(
        acceleratorId: LoadBalancerWorld.ga, listenerId: LoadBalancerWorld.gaListener,
        bindings: [.init(domain: name, certificateId: other.identifier)])
      try await ga.waitUntilActive(
        acceleratorId: LoadBalancerWorld.ga, listenerId: LoadBalancerWorld.gaListener, pollInterval: .milliseconds(15))
    }
    let sibling = ListenerAddress.ga(acceleratorId: LoadBalancerWorld.ga, listenerId: Self.secondListener)
    XCTAssertLessThan(key, sibling, "the full listener goes first")
    let result = try await world.attach(try Fixtures.leaf(names), listeners: [key, sibling], concurrency: 1)
    let outcomes = Dictionary(uniqueKeysWithValues: result.report.listeners.map { ($0.listenerId, $0) })
    XCTAssertEqual(outcomes[key]?.outcome, .failed)
    XCTAssertTrue(
      outcomes[key]?.error?.contains("gaplus_quota_additional_certs_per_listener") == true, "\(outcomes[key]?.error ?? "")")
    XCTAssertEqual(outcomes[sibling]?.outcome, .updated, "\(result.report)")
    let refusals = await world.harness.server.requestLog().filter { $0.code == "QuotaExceeded.Certificate" }
    XCTAssertEqual(refusals.count, 1, "refused once: no wait for a slot only this listener can free")
  }

  /// Two listeners of one accelerator change in the same run one after the other (the run never meets its own
  /// lock); when another tool's change holds the accelerator (`StateError.Accelerator`), the change is sent again
  /// until it succeeds: by the client's own retries, and (with a client that does not retry) by the executor's
  /// wait-until-active and resend.
  func testListenersOfOneAcceleratorChangeInOneRunDespiteItsLock() async throws {
    try await runTwoListeners(jobDelay: .milliseconds(700), gaRetry: nil)
    // (The other tool's lock lasts 400 ms: long enough for the renewal's reads to reach its first write while the
    // lock is held, on a loaded machine too.)
    try await runTwoListeners(jobDelay: .milliseconds(400), gaRetry: RetryPolicy(maxAttempts: 1))
  }

  func runTwoListeners(jobDelay: Duration, gaRetry: RetryPolicy?) async throws {
    let world = try await start(seed: Self.twoListenerSeed(), jobDelay: jobDelay, gaRetry: gaRetry)
    do {
      try await renewTwoListeners(world)
    } catch {
      await world.stop()
      throw error
    }
    await world.stop()
  }

  func renewTwoListeners(_ world: ProductLifecycle) async throws {
    let second = ListenerAddress.ga(acceleratorId: LoadBalancerWorld.ga, listenerId: Self.secondListener)
    let first = try Fixtures.leaf(names, from: -60, until: 30)
    let r1 = try await world.attach(first, loadBalancers: [accelerator])
    XCTAssertEqual(r1.report.listeners.map(\.listenerId), [key, second])
    XCTAssertEqual(r1.report.listeners.map(\.outcome), [.updated, .updated], "\(r1.report)")
    let locked = await world.harness.server.requestLog().filter { $0.code == "StateError.Accelerator" }
    XCTAssertEqual(locked.count, 0, "one listener of the accelerator at a time: the run never meets its own lock")

    // Another tool binds a domain on the accelerator just before the renewal: its lock is held when certhook starts.
    let other = try await world.harness.upload(name: "other", domains: ["other.test"])
    try await world.harness.gaClient().associateAdditionalCertificates(
      acceleratorId: LoadBalancerWorld.ga, listenerId: Self.secondListener,
      bindings: [.init(domain: "other.test", certificateId: other.identifier)])
    let renewed = try Fixtures.leaf(names, from: -1, until: 89)
    let r2 = try await world.attach(renewed, loadBalancers: [accelerator])
    XCTAssertEqual(r2.report.listeners.map(\.outcome), [.updated, .updated], "\(r2.report)")
    let renewedId = try await world.identifier(renewed)
    let lockedInAll = await world.harness.server.requestLog().filter { $0.code == "StateError.Accelerator" }
    XCTAssertGreaterThan(lockedInAll.count, locked.count, "the renewal met the other tool's lock")
    for listener in [LoadBalancerWorld.gaListener, Self.secondListener] {
      let bound = try await bindings(world, listener).filter { $0.key != "other.test" }
      XCTAssertEqual(bound, ["example.test": renewedId, "www.example.test": renewedId], listener)
      let replay = await world.coverageGaps(listener: listener, domains: names)
      XCTAssertEqual(replay.gaps, [], listener)
      XCTAssertEqual(replay.covered, Set(names), listener)
    }
  }

  func testBadCertificatesAreRefusedWithNothingChanged() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let before = try await world.listener(LoadBalancerWorld.gaListener)
    try await world.assertLocalRefusals(names: names, listener: key)
    // A certificate CAS does not know: its names cannot be read, so nothing is sent to GA.
    let code = try await world.unknownCertificateRefusal(listener: key)
    XCTAssertNotNil(code)
    let gaWrites = await world.harness.server.requestLog().filter {
      $0.product == "ga" && EmulatorHarness.writeActions.contains($0.action)
    }
    XCTAssertEqual(gaWrites, [])
    let after = try await world.listener(LoadBalancerWorld.gaListener)
    XCTAssertEqual(after, before)
  }

  func testDryRunsChangeNothing() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let first = try Fixtures.leaf(names, from: -60, until: 30)
    // A first deploy as a dry run (binds: GA has no DryRun for them, so nothing is sent).
    try await world.upload(first)
    let dryFirst = try await world.attach(first, listeners: [key], dryRun: true)
    XCTAssertEqual(dryFirst.report.listeners.map(\.outcome), [.planned], "\(dryFirst.report)")
    var gaWrites = await world.harness.server.requestLog().filter {
      $0.product == "ga" && EmulatorHarness.writeActions.contains($0.action)
    }
    XCTAssertEqual(gaWrites.map(\.action), [])
    _ = try await world.attach(first, listeners: [key])
    let before = try await world.listener(LoadBalancerWorld.gaListener)
    let writesBefore = await world.listenerWrites().count

    // A renewal as a dry run: the in-place swaps are prechecked with GA's DryRun.
    let renewed = try Fixtures.leaf(names, from: -1, until: 89)
    try await world.upload(renewed)
    let dry = try await world.attach(renewed, listeners: [key], dryRun: true)
    XCTAssertEqual(dry.report.listeners.map(\.outcome), [.planned], "\(dry.report)")
    gaWrites = await world.harness.server.requestLog().filter { $0.product == "ga" && $0.dryRun }
    XCTAssertEqual(gaWrites.map(\.action), Array(repeating: "UpdateAdditionalCertificateWithListener", count: 2))
    XCTAssertEqual(gaWrites.map(\.code), ["DryRunOperation", "DryRunOperation"])
    let writesAfter = await world.listenerWrites().count
    XCTAssertEqual(writesAfter, writesBefore)
    let after = try await world.listener(LoadBalancerWorld.gaListener)
    XCTAssertEqual(after, before)
  }

  func testDefaultCertificateReplacedThroughUpdateListener() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let (id, listener) = try await world.assertDefaultReplaced(
      names: names, key: key, listener: LoadBalancerWorld.gaListener)
    XCTAssertEqual(listener.status, "active")
    let engine = try await world.backend.getListener(key)
    XCTAssertEqual(engine.status, "Running")
    XCTAssertEqual(engine.loadBalancerId, accelerator)
    XCTAssertEqual(engine.defaultCertificateId, id)
    // A dry run of the next replacement: GA's UpdateListener has no DryRun, so nothing is sent.
    let next = try Fixtures.leaf(names)
    try await world.upload(next)
    let updatesBefore = await world.harness.server.requestLog().filter { $0.action == "UpdateListener" }.count
    let dry = try await world.attach(next, listeners: [key], mode: .default, dryRun: true)
    XCTAssertEqual(dry.report.listeners.map(\.outcome), [.planned], "\(dry.report)")
    let updatesAfter = await world.harness.server.requestLog().filter { $0.action == "UpdateListener" }.count
    XCTAssertEqual(updatesAfter, updatesBefore)
    let still = try await world.listener(LoadBalancerWorld.gaListener).defaultCertificateId
    XCTAssertEqual(still, id)
  }

  func testAListenerKeyNamesItsAccelerator() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let listeners = try await world.backend.listListeners(loadBalancerIds: [accelerator])
    XCTAssertEqual(
      listeners.map { "\($0.id) \($0.loadBalancerId) \($0.listenerProtocol) \($0.status) \($0.carriesCertificates)" },
      ["\(key) \(accelerator) HTTPS Running true", "ga:ga-client01/lsr-ga-client-80 \(accelerator) HTTP Running false"])
    let driver = GAListenerDriver(ga: try world.harness.gaClient(), cas: world.harness.cas, pollInterval: .seconds(1))
    let every = try await driver.listListeners(loadBalancerKeys: [])
    XCTAssertEqual(every, listeners, "no key: every GA listener of the account")
    do {
      _ = try await world.backend.getListener("ga:ga-other/\(LoadBalancerWorld.gaListener)")
      XCTFail("a listener was found on the wrong accelerator")
    } catch let error as CertHookError {
      XCTAssertEqual(error.apiCode, "NotExist.Listener")
    }
  }

  func testPerDomainBindingsInTheEnginesTerms() {
    let bound = [
      GAListenerCertificate(certificateId: "1-r", domain: nil, isDefault: true, state: "active"),
      GAListenerCertificate(certificateId: "2-r", domain: "A.test", isDefault: false, state: "active"),
      GAListenerCertificate(certificateId: "2-r", domain: "b.test", isDefault: false, state: "updating"),
      GAListenerCertificate(certificateId: "3-r", domain: "c.test", isDefault: false, state: "active"),
    ]
    XCTAssertEqual(
      GAListenerDriver.certificates(bound),
      [
        CloudListenerCertificate(certificateId: "1-r", isDefault: true, status: "Associated"),
        CloudListenerCertificate(certificateId: "2-r", isDefault: false, status: "Associating"),
        CloudListenerCertificate(certificateId: "3-r", isDefault: false, status: "Associated"),
      ])
    let change = GAListenerDriver.bindingChange(
      wanted: [
        .init(domain: "a.test", certificateId: "4-r"), .init(domain: "c.test", certificateId: "3-r"),
        .init(domain: "d.test", certificateId: "4-r"), .init(domain: "d.test", certificateId: "5-r"),
      ],
      bound: bound)
    XCTAssertEqual(change.binds, [.init(domain: "d.test", certificateId: "4-r")])
    XCTAssertEqual(change.swaps, [.init(domain: "A.test", certificateId: "4-r")], "swapped as the listener spells it")
    XCTAssertEqual(GAListenerDriver.domains(boundTo: ["2-r"], in: bound), ["A.test", "b.test"])
    XCTAssertEqual(GAListenerDriver.domains(boundTo: ["1-r"], in: bound), [], "the default is never unbound")
    XCTAssertEqual(
      ["active", "updating", "init", "configuring", "deleting"].map(GAListenerDriver.status),
      ["Running", "Configuring", "Configuring", "Configuring", "Deleting"])
  }
}
