import AlibabaCloud
import CertHookCore
import CertHookTestSupport
import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// NLB TCPSSL listeners through the real engine (`attach`: planner + executor) against the emulator (issue 13).
final class NLBLifecycleTests: XCTestCase {
  var root: URL!
  let key = ListenerProduct.nlb.qualified(LoadBalancerWorld.nlbListener)
  let lbKey = ListenerProduct.nlb.qualified(LoadBalancerWorld.nlb)
  let names = ["example.test", "www.example.test"]

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  func start(seed: EmulatorSeed = LoadBalancerWorld.seed(), jobDelay: Duration = .milliseconds(30)) async throws
    -> ProductLifecycle
  {
    try await ProductLifecycle.start(seed: seed, jobDelay: jobDelay, root: root) { h in
      [NLBListenerDriver(nlb: try h.nlbClient(), pollInterval: .milliseconds(15))]
    }
  }

  /// An unrelated certificate put on the listener directly, before certhook runs.
  func attachUnrelated(_ world: ProductLifecycle) async throws -> String {
    let other = try await world.harness.upload(name: "other", domains: ["other.test"])
    let nlb = try world.harness.nlbClient()
    for job in try await nlb.associateAdditionalCertificates(
      listenerId: LoadBalancerWorld.nlbListener, certificateIds: [other.identifier])
    {
      try await nlb.waitForJob(jobId: job, pollInterval: .milliseconds(15))
    }
    return other.identifier
  }

  func testFirstDeployRerunRenewalKeepCoverageAndLeaveUnrelatedCertificates() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let unrelated = try await attachUnrelated(world)
    let defaultBefore = try await world.listener(LoadBalancerWorld.nlbListener).defaultCertificateId

    // First deploy, by load balancer: only its TCPSSL listener is a target.
    let first = try Fixtures.leaf(names, from: -60, until: 30)
    let r1 = try await world.attach(first, loadBalancers: [lbKey])
    XCTAssertFalse(r1.report.hasFailures, "\(r1.report)")
    XCTAssertEqual(r1.report.listeners.map(\.listenerId), [key])
    XCTAssertEqual(r1.report.listeners.first?.outcome, .updated)
    let firstId = try await world.identifier(first)
    var listener = try await world.listener(LoadBalancerWorld.nlbListener)
    XCTAssertEqual(listener.certificates.filter { $0.certificateId == firstId }.map(\.status), ["Associated"])
    let tcp = try await world.listener("lsn-client-80")
    XCTAssertEqual(tcp.certificates, [], "the TCP listener is no target")

    // No-op rerun: zero writes.
    let writesBefore = await world.listenerWrites().count
    let r2 = try await world.attach(first, listeners: [key])
    XCTAssertEqual(r2.report.listeners.map(\.outcome), [.unchanged], "\(r2.report)")
    let writesAfter = await world.listenerWrites().count
    XCTAssertEqual(writesAfter, writesBefore)

    // Renewal: the new certificate on, its predecessor retired, associate before disassociate.
    let renewed = try Fixtures.leaf(names, from: -1, until: 89)
    let r3 = try await world.attach(renewed, listeners: [key])
    XCTAssertFalse(r3.report.hasFailures, "\(r3.report)")
    let renewedId = try await world.identifier(renewed)
    listener = try await world.listener(LoadBalancerWorld.nlbListener)
    let ids = listener.certificates.map(\.certificateId)
    XCTAssertTrue(ids.contains(renewedId), "\(ids)")
    XCTAssertFalse(ids.contains(firstId), "\(ids)")
    XCTAssertTrue(ids.contains(unrelated), "unrelated certificate untouched: \(ids)")
    XCTAssertEqual(listener.defaultCertificateId, defaultBefore, "default left alone")
    let actions = await world.listenerWrites().map(\.action)
    XCTAssertTrue(actions.contains("DisassociateAdditionalCertificatesWithListener"), "\(actions)")
    XCTAssertFalse(actions.contains("DissociateAdditionalCertificatesFromListener"), "NLB's spelling only")
    let replay = await world.coverageGaps(listener: LoadBalancerWorld.nlbListener, domains: names + ["other.test"])
    XCTAssertEqual(replay.gaps, [])
    XCTAssertEqual(replay.covered, Set(names + ["other.test"]))
  }

  func testQuotaFullFailsNamingTheQuotaWithNothingChanged() async throws {
    let world = try await start(seed: LoadBalancerWorld.seed(nlbQuota: 1))
    addTeardownBlock { await world.stop() }
    let unrelated = try await attachUnrelated(world)
    let error = try await world.assertQuotaRefusal(
      names: names, key: key, listener: LoadBalancerWorld.nlbListener, loadBalancerKey: lbKey,
      quotaName: "nlb_quota_loadbalancer_certificates_num", code: "QuotaExceeded.AdditionalCertificatesNum",
      unrelated: unrelated)
    XCTAssertTrue(error.contains("usage 1/1"), error)
  }

  func testLockedListenerIsRetriedUntilTheChangeSucceeds() async throws {
    // Jobs take longer than the client's own retries of `Conflict.Lock`: the executor waits for Running and resends.
    let world = try await start(jobDelay: .milliseconds(700))
    addTeardownBlock { await world.stop() }
    let other = try await world.harness.upload(name: "other", domains: ["other.test"])
    _ = try await world.harness.nlbClient().associateAdditionalCertificates(
      listenerId: LoadBalancerWorld.nlbListener, certificateIds: [other.identifier])
    let configuring = try await world.listener(LoadBalancerWorld.nlbListener).status
    XCTAssertEqual(configuring, "Configuring")

    let cert = try Fixtures.leaf(names)
    let result = try await world.attach(cert, listeners: [key])
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    XCTAssertEqual(result.report.listeners.first?.outcome, .updated)
    let id = try await world.identifier(cert)
    let listener = try await world.listener(LoadBalancerWorld.nlbListener)
    XCTAssertEqual(
      Set(listener.certificates.filter { $0.status == "Associated" }.map(\.certificateId)), [id, other.identifier])
    let locked = await world.harness.server.requestLog().filter { $0.code == "Conflict.Lock" }
    XCTAssertFalse(locked.isEmpty, "the listener was locked when the change was first sent")
  }

  func testBadCertificatesAreRefusedWithNothingChanged() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let before = try await world.listener(LoadBalancerWorld.nlbListener)
    try await world.assertLocalRefusals(names: names, listener: key)
    // A certificate CAS does not know is refused by the API, nothing changed.
    let code = try await world.unknownCertificateRefusal(listener: key)
    XCTAssertEqual(code, "ResourceNotFound.certificate")
    let after = try await world.listener(LoadBalancerWorld.nlbListener)
    XCTAssertEqual(after, before)
  }

  func testDryRunPrechecksWithTheAPIAndChangesNothing() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    let cert = try Fixtures.leaf(names)
    // Uploaded first, so the dry run has an identifier to precheck.
    try await world.upload(cert)
    let before = try await world.listener(LoadBalancerWorld.nlbListener)
    let writesBefore = await world.listenerWrites().count
    let dry = try await world.attach(cert, listeners: [key], dryRun: true)
    XCTAssertEqual(dry.report.listeners.map(\.outcome), [.planned], "\(dry.report)")
    let writesAfter = await world.listenerWrites().count
    XCTAssertEqual(writesAfter, writesBefore)
    let prechecks = await world.harness.server.requestLog().filter {
      $0.dryRun && $0.action == "AssociateAdditionalCertificatesWithListener" && $0.product == "nlb"
    }
    XCTAssertEqual(prechecks.map(\.code), ["DryRunOperation"])
    let after = try await world.listener(LoadBalancerWorld.nlbListener)
    XCTAssertEqual(after, before)
  }

  func testDefaultCertificateReplacedThroughUpdateListenerAttribute() async throws {
    let world = try await start()
    addTeardownBlock { await world.stop() }
    _ = try await world.assertDefaultReplaced(names: names, key: key, listener: LoadBalancerWorld.nlbListener)
  }

  /// Listing with no load balancer key lists every NLB listener of the region (what an account-wide prune or audit
  /// needs), with engine keys.
  func testListingWithoutKeysListsEveryNLBListener() async throws {
    let world = try await start(seed: LoadBalancerWorld.seed(extraNLBListeners: 2))
    addTeardownBlock { await world.stop() }
    let driver = NLBListenerDriver(nlb: try world.harness.nlbClient(), pollInterval: .milliseconds(15))
    let all = try await driver.listListeners(loadBalancerKeys: [])
    XCTAssertEqual(
      all.map(\.id).sorted(), ["nlb:lsn-client-443", "nlb:lsn-client-80", "nlb:lsn-many-1", "nlb:lsn-many-2"])
    XCTAssertEqual(Set(all.map(\.loadBalancerId)), [lbKey, "nlb:nlb-client02"])
    let one = try await driver.listListeners(loadBalancerKeys: ["nlb:nlb-client02"])
    XCTAssertEqual(one.map(\.id), ["nlb:lsn-many-1", "nlb:lsn-many-2"])
    XCTAssertTrue(one.allSatisfy { $0.carriesCertificates && $0.status == "Running" })
  }

  /// Whether NLB lists the default certificate is unconfirmed: the driver names it either way.
  func testTheDefaultCertificateIsNamedWhetherOrNotTheListingHasIt() {
    let additional = CloudListenerCertificate(certificateId: "2-cn-hangzhou", isDefault: false, status: "Associated")
    XCTAssertEqual(
      NLBListenerDriver.withDefault([additional], defaultCertificateId: "1-cn-hangzhou"),
      [CloudListenerCertificate(certificateId: "1-cn-hangzhou", isDefault: true, status: "Associated"), additional])
    let unflagged = CloudListenerCertificate(certificateId: "1-cn-hangzhou", isDefault: false, status: "Associated")
    XCTAssertEqual(
      NLBListenerDriver.withDefault([unflagged, additional], defaultCertificateId: "1-cn-hangzhou").filter(\.isDefault)
        .map(\.certificateId), ["1-cn-hangzhou"])
    let flagged = CloudListenerCertificate(certificateId: "1-cn-hangzhou", isDefault: true, status: "Associated")
    XCTAssertEqual(NLBListenerDriver.withDefault([flagged], defaultCertificateId: "3-cn-hangzhou"), [flagged])
    XCTAssertEqual(NLBListenerDriver.withDefault([additional], defaultCertificateId: nil), [additional])
  }

  func testNLBAndGAAnswersAreRecognisedByTheExecutor() {
    func answer(_ code: String, _ message: String = "", product: ApiAction.Product? = nil) -> CertHookError {
      var error = AlibabaCloudError(
        kind: .api, action: "AssociateAdditionalCertificatesWithListener", code: code, message: message)
      error.product = product
      return .api(error)
    }
    // NLB
    XCTAssertEqual(ListenerAnswer.classify(answer("Conflict.Lock")), .busy)
    XCTAssertEqual(ListenerAnswer.classify(answer("OperationFailed.ResourceIsConfiguring")), .busy)
    XCTAssertEqual(ListenerAnswer.classify(answer("QuotaExceeded.AdditionalCertificatesNum", product: .nlb)), .quotaFull)
    XCTAssertEqual(
      ListenerAnswer.classify(answer("QuotaExceeded.AdditionalCertificatesNum", product: .ga)), .other,
      "a quota code counts only from the product whose row lists it")
    XCTAssertEqual(ListenerAnswer.classify(answer("ResourceAlreadyAssociated.certificate")), .alreadyAssociated)
    XCTAssertEqual(ListenerAnswer.classify(answer("ResourceNotAssociated.certificate")), .notAssociated)
    // GA
    XCTAssertEqual(ListenerAnswer.classify(answer("StateError.Accelerator")), .busy)
    XCTAssertEqual(ListenerAnswer.classify(answer("NotActive.Listener")), .busy)
    XCTAssertEqual(ListenerAnswer.classify(answer("QuotaExceeded.Certificate", product: .ga)), .quotaFull)
    // ALB unchanged
    XCTAssertEqual(ListenerAnswer.classify(answer(ListenerAnswer.quotaCode)), .quotaFull)
    XCTAssertEqual(ListenerAnswer.classify(answer("ResourceAlreadyAssociated.Certificate")), .alreadyAssociated)
    let refused = answer(
      "QuotaExceeded.Certificate", "The quota of listener l is exceeded, usage 4/3.", product: .ga)
    XCTAssertEqual(
      ChangeDecision.after(.failure(refused), kind: .associate, sends: 1, listenerId: "ga:ga-1/lsr-1"),
      .quotaRefused(quota: 3))
    XCTAssertEqual(
      ChangeDecision.after(.failure(answer("StateError.Accelerator")), kind: .associate, sends: 1, listenerId: "x"),
      .resendWhenRunning)
    XCTAssertTrue(
      CertHookError.quotaExceeded(loadBalancerId: "nlb:nlb-1", usage: 1, quota: 1, detail: "d").description.contains(
        "nlb_quota_loadbalancer_certificates_num"))
    XCTAssertTrue(
      CertHookError.quotaExceeded(loadBalancerId: "alb-1", usage: 1, quota: 1, detail: "d").description.contains(
        "LoadBalancerCertificatesNum"))
  }
}
