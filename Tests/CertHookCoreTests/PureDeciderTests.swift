import AlibabaCloud
import CertHookCore
import Foundation
import XCTest

/// The planner's and executor's deciding steps as pure functions: table-driven, no cloud, no emulator.
final class RotationSchedulerTests: XCTestCase {
  private func rotations(_ n: Int, prefix: String = "lsr-", expired: Int = 0) -> [RotationScheduler.Item] {
    (1...n).map {
      RotationScheduler.Item(listenerId: prefix + String(format: "%02d", $0), adds: 1, removes: 1, expired: expired)
    }
  }

  func testWavesUnderTheQuotaTable() {
    // (quota, usage, listeners, expected wave sizes)
    let table: [(Int?, Int, Int, [Int])] = [
      (25, 20, 20, [5, 5, 5, 5]),  // the Standard ALB with 20 listeners serving the predecessor
      (nil, 20, 20, [5, 5, 5, 5]),  // not configured: the Standard default is assumed
      (10, 5, 5, [5]),  // enough room: one wave
      (25, 24, 3, [1, 1, 1]),  // one free slot: one listener at a time
      (10, 8, 8, [2, 2, 2, 2]),
    ]
    for (quota, usage, count, sizes) in table {
      let preview = RotationScheduler.preview(
        loadBalancerId: "alb-1", quota: quota, usage: usage, items: rotations(count))
      XCTAssertEqual(preview.waves.map(\.count), sizes, "quota \(String(describing: quota)) usage \(usage)")
      XCTAssertEqual(preview.failed, [])
      XCTAssertEqual(Set(preview.waves.flatMap { $0 }).count, count)
    }
  }

  func testUsageNeverExceedsAKnownQuota() {
    var scheduler = RotationScheduler(loadBalancerId: "alb-1", quota: 25, usage: 20, items: rotations(20))
    var running: [String] = []
    var maxUsage = 0
    var actions = scheduler.begin()
    while true {
      for case .start(let ids) in actions { running += ids }
      // Every running listener holds its new certificate next to the old one.
      maxUsage = max(maxUsage, scheduler.usage + running.count)
      guard let next = running.first else { break }
      running.removeFirst()
      actions = scheduler.completed(next, .applied)
    }
    XCTAssertEqual(maxUsage, 25)
    XCTAssertEqual(scheduler.usage, 20)
    XCTAssertTrue(scheduler.queue.isEmpty)
  }

  func testEndStateThatDoesNotFitFailsBeforeAnythingStarts() {
    // Five listeners each get one more certificate (nothing to retire): 8 + 5 = 13 > 10.
    let items = (1...5).map { RotationScheduler.Item(listenerId: "lsr-\($0)", adds: 1, removes: 0) }
    var scheduler = RotationScheduler(loadBalancerId: "alb-basic", quota: 10, usage: 8, items: items)
    let actions = scheduler.begin()
    XCTAssertEqual(actions.count, 1)
    guard case .fail(let ids, let shortfall)? = actions.first else { return XCTFail("\(actions)") }
    XCTAssertEqual(ids.count, 5)
    XCTAssertEqual(shortfall.quota, 10)
    XCTAssertEqual(shortfall.usage, 8)
    XCTAssertEqual(shortfall.needed, 13)
    let message = DeploymentExecutor.quotaError(shortfall).description
    XCTAssertTrue(message.contains("usage 8/10"), message)
    XCTAssertTrue(message.contains("needs 13"), message)
  }

  func testNoFreeSlotWithKnownQuotaFailsNamingWhatIsNeeded() {
    var scheduler = RotationScheduler(loadBalancerId: "alb-1", quota: 20, usage: 20, items: rotations(3))
    guard case .fail(let ids, let shortfall)? = scheduler.begin().first else { return XCTFail() }
    XCTAssertEqual(ids, ["lsr-01", "lsr-02", "lsr-03"])
    XCTAssertEqual(shortfall.usage, 20)
    XCTAssertEqual(shortfall.needed, 21)
    XCTAssertTrue(shortfall.detail.contains("0 are free"), shortfall.detail)
  }

  func testExpiredPredecessorsAreRetiredFirstWhenTheQuotaIsTight() {
    // Quota full; two listeners hold an expired predecessor (retired first, no slot needed), one does not.
    var items = rotations(2, expired: 1)
    items.append(RotationScheduler.Item(listenerId: "lsr-00", adds: 1, removes: 1))
    var scheduler = RotationScheduler(loadBalancerId: "alb-1", quota: 10, usage: 10, items: items)
    XCTAssertTrue(scheduler.tight)
    XCTAssertEqual(scheduler.begin(), [.start(["lsr-01", "lsr-02"])])
    XCTAssertTrue(scheduler.retiresExpiredFirst("lsr-01"))
    XCTAssertFalse(scheduler.retiresExpiredFirst("lsr-00"))
    XCTAssertEqual(scheduler.completed("lsr-01", .applied), [])
    // Still no free slot for a make-before-break rotation: the last listener cannot rotate.
    let last = scheduler.completed("lsr-02", .applied)
    guard case .fail(let ids, _)? = last.first else { return XCTFail("\(last)") }
    XCTAssertEqual(ids, ["lsr-00"])
  }

  func testAQuotaNamedByTheAPIIsLearnedAndTheListenerWaits() {
    // Not configured (25 assumed) but the instance is a Basic one: the API refuses and names 10.
    var scheduler = RotationScheduler(loadBalancerId: "alb-1", quota: nil, usage: 8, items: rotations(4))
    XCTAssertEqual(scheduler.begin(), [.start(["lsr-01", "lsr-02", "lsr-03", "lsr-04"])])
    XCTAssertEqual(scheduler.completed("lsr-03", .refusedByQuota(quota: 10)), [])
    XCTAssertEqual(scheduler.completed("lsr-04", .refusedByQuota(quota: 10)), [])
    XCTAssertEqual(scheduler.quota, .known(10))
    XCTAssertEqual(scheduler.completed("lsr-01", .applied), [.start(["lsr-03"])])
    XCTAssertEqual(scheduler.completed("lsr-02", .applied), [.start(["lsr-04"])])
    XCTAssertEqual(scheduler.completed("lsr-03", .applied), [])
    XCTAssertEqual(scheduler.completed("lsr-04", .applied), [])
    XCTAssertEqual(scheduler.usage, 8)
  }

  func testAssumedQuotaWithNoRoomProbesOneListener() {
    // 30 in use, quota not configured (it must have been raised): one listener at a time finds out.
    var scheduler = RotationScheduler(loadBalancerId: "alb-1", quota: nil, usage: 30, items: rotations(2))
    XCTAssertEqual(scheduler.begin(), [.start(["lsr-01"])])
    XCTAssertEqual(scheduler.completed("lsr-01", .applied), [.start(["lsr-02"])])
  }

  func testPureDissociationsNeedNoSlot() {
    let items = (1...3).map { RotationScheduler.Item(listenerId: "lsr-\($0)", adds: 0, removes: 1) }
    var scheduler = RotationScheduler(loadBalancerId: "alb-1", quota: 5, usage: 9, items: items)
    XCTAssertEqual(scheduler.begin(), [.start(["lsr-1", "lsr-2", "lsr-3"])])
  }
}

final class ChangeDecisionTests: XCTestCase {
  private func api(_ code: String, message: String = "m", requestId: String = "req-1") -> CertHookError {
    .api(AlibabaCloudError(kind: .api, action: "A", httpStatus: 400, code: code, message: message, requestId: requestId))
  }

  func testDecisionTable() {
    let busy = api("IncorrectStatus.Listener", requestId: "req-busy-4")
    let quota = api(
      ListenerAnswer.quotaCode, message: "The quota of LoadBalancerCertificatesNum is exceeded for resource alb-1, usage 26/25.")
    let table: [(Result<[String], CertHookError>, PlannedAction.Kind, Int, ChangeDecision)] = [
      (.success(["job-1"]), .associate, 1, .waitForJobs(["job-1"])),
      (.failure(busy), .associate, 1, .resendWhenRunning),
      (.failure(api("ResourceInConfiguring.Listener")), .dissociate, 3, .resendWhenRunning),
      (.failure(api("Conflict.Lock")), .replaceDefault, 2, .resendWhenRunning),
      (.failure(api("ResourceAlreadyAssociated.Certificate")), .associate, 1, .alreadyApplied),
      (.failure(api("ResourceNotAssociated.Certificate")), .dissociate, 1, .alreadyApplied),
      (.failure(api("ResourceNotAssociated.Certificate")), .associate, 1, .fail(api("ResourceNotAssociated.Certificate"))),
      (.failure(quota), .associate, 1, .quotaRefused(quota: 25)),
      (.failure(api("ResourceNotFound.Certificate")), .associate, 1, .fail(api("ResourceNotFound.Certificate"))),
      (.failure(.cloud(code: "ResourceAlreadyAssociated.Certificate", message: "x")), .associate, 1, .alreadyApplied),
    ]
    for (result, kind, sends, expected) in table {
      XCTAssertEqual(ChangeDecision.after(result, kind: kind, sends: sends, listenerId: "lsr-1"), expected, "\(result)")
    }
  }

  func testBusyAtTheLastSendFailsWithTheRequestId() {
    let busy = api("IncorrectStatus.Listener", requestId: "req-busy-4")
    let decision = ChangeDecision.after(
      .failure(busy), kind: .associate, sends: ChangeDecision.maxSends, listenerId: "lsr-1")
    guard case .fail(let error) = decision else { return XCTFail("\(decision)") }
    let text = "\(error)"
    XCTAssertTrue(text.contains("sent 4 times"), text)
    XCTAssertTrue(text.contains("req-busy-4"), text)
    XCTAssertEqual(error.apiCode, "IncorrectStatus.Listener")
  }

  func testReportedQuota() {
    let cases: [(String, Int?)] = [
      ("The quota of LoadBalancerCertificatesNum is exceeded for resource alb-x, usage 26/25.", 25),
      ("usage 2/2", 2),
      ("quota exceeded", nil),
      ("usage 3", nil),
    ]
    for (message, expected) in cases {
      XCTAssertEqual(ListenerAnswer.reportedQuota(.cloud(code: ListenerAnswer.quotaCode, message: message)), expected)
    }
  }
}

final class ListenerDecisionTests: XCTestCase {
  private let now = Date(timeIntervalSince1970: 1_800_000_000)
  private let day = 86_400.0

  private func new(_ names: [String] = ["example.test"]) -> MappedCertificate {
    MappedCertificate(
      identifier: "200-cn-hangzhou", certId: 200, name: "new", sha256: "AA", commonName: names.first, dnsNames: names,
      notBefore: now - day, notAfter: now + 90 * day)
  }

  private func facts(_ id: String, names: [String], endsIn days: Double) -> RemoteCertificate {
    RemoteCertificate(
      identifier: id, certId: nil, name: nil, commonName: names.first, dnsNames: names, namesSource: "pem",
      notAfter: now + days * day, sha256: nil)
  }

  private let listener = CloudListener(
    id: "lsr-1", loadBalancerId: "alb-1", listenerProtocol: "HTTPS", port: 443, status: "Running",
    defaultCertificateId: "1-cn-hangzhou")
  private let defaultCert = CloudListenerCertificate(certificateId: "1-cn-hangzhou", isDefault: true, status: "Associated")

  func testDecisionTable() {
    let old = CloudListenerCertificate(certificateId: "100-cn-hangzhou", isDefault: false, status: "Associated")
    let newOn = CloudListenerCertificate(certificateId: "200-cn-hangzhou", isDefault: false, status: "Associated")
    // (certificates, facts, mode, replace, protected, expected action kinds, expected quotaRetirable)
    let table:
      [(
        [CloudListenerCertificate], [String: RemoteCertificate], DeploymentMode, ReplacePolicy, Set<String>,
        [PlannedAction.Kind], [String]
      )] = [
        ([defaultCert], [:], .additional, .covered, [], [.associate], []),
        ([defaultCert, newOn], [:], .additional, .covered, [], [], []),
        ([defaultCert, old], ["100-cn-hangzhou": facts("100-cn-hangzhou", names: ["example.test"], endsIn: 10)],
         .additional, .covered, [], [.associate, .dissociate], []),
        ([defaultCert, old], ["100-cn-hangzhou": facts("100-cn-hangzhou", names: ["example.test"], endsIn: -1)],
         .additional, .covered, [], [.associate, .dissociate], ["100-cn-hangzhou"]),
        ([defaultCert, old], ["100-cn-hangzhou": facts("100-cn-hangzhou", names: ["example.test"], endsIn: 10)],
         .additional, .none, [], [.associate], []),
        ([defaultCert, old], ["100-cn-hangzhou": facts("100-cn-hangzhou", names: ["example.test"], endsIn: 10)],
         .additional, .covered, ["100-cn-hangzhou"], [.associate], []),
        ([defaultCert, old], ["100-cn-hangzhou": facts("100-cn-hangzhou", names: ["other.test"], endsIn: 10)],
         .additional, .covered, [], [.associate], []),
        ([defaultCert, old], [:], .additional, .covered, [], [.associate], []),  // facts unknown: never retired
        ([defaultCert], [:], .default, .covered, [], [.replaceDefault], []),
      ]
    for (i, row) in table.enumerated() {
      let plan = ListenerDecision.plan(
        listener: listener, certificates: row.0, facts: row.1, new: new(), mode: row.2, replace: row.3,
        protected: row.4, now: now)
      XCTAssertEqual(plan.actions.map(\.kind), row.5, "row \(i): \(plan)")
      XCTAssertEqual(plan.quotaRetirable, row.6, "row \(i)")
      if row.5.contains(.dissociate) { XCTAssertEqual(plan.requiresServing, "200-cn-hangzhou", "row \(i)") }
    }
  }

  func testFactsNeededSkipsDefaultNewAndDissociating() {
    let certs = [
      defaultCert, CloudListenerCertificate(certificateId: "200-cn-hangzhou", isDefault: false, status: "Associated"),
      CloudListenerCertificate(certificateId: "3-cn-hangzhou", isDefault: false, status: "Dissociating"),
      CloudListenerCertificate(certificateId: "4-cn-hangzhou", isDefault: false, status: "Associated"),
    ]
    XCTAssertEqual(ListenerDecision.factsNeeded(certificates: certs, new: new()), ["4-cn-hangzhou"])
  }
}
