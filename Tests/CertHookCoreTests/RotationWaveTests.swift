import AlibabaCloud
import CertHookCore
import CertificateKit
import Foundation
import Logging
import XCTest
import CertHookTestSupport

/// Rotation in waves under the additional-certificate quota (issue 10 part 2), and the one retry layer with its
/// bound (issue 8), end to end through the executor.
final class RotationWaveTests: XCTestCase {
  var root: URL!

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  private func write(_ issued: Issued) throws -> CertificateReference {
    try Fixtures.writeFullchain(issued, in: root)
  }

  /// One load balancer with `listeners` HTTPS listeners, each serving a default certificate and `predecessor` as
  /// an additional one; the fake enforces `quota`.
  private func fleet(listeners: Int, quota: Int, predecessor: Issued) async throws -> (FakeCloud, String) {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"], until: 300)
    let defId = await cloud.addCAS(def, name: "default")
    let oldId = await cloud.addCAS(predecessor, name: "old")
    for i in 1...listeners {
      let id = "lsr-" + String(format: "%02d", i)
      await cloud.addListener(id, loadBalancer: "alb-1", port: 8000 + i, defaultCertificate: defId)
      await cloud.attach(oldId, to: id)
    }
    await cloud.setQuota("alb-1", quota)
    return (cloud, await cloud.requireIdentifier(of: oldId))
  }

  /// Attaches a renewed `example.test` certificate to every listener of alb-1.
  private func rotate(_ cloud: FakeCloud, quotas: [String: Int] = [:], concurrency: Int = 4) async throws -> (
    BatchResult, newIdentifier: String
  ) {
    var context = Fixtures.context(cloud, concurrency: concurrency)
    context.quotas = quotas
    let renewed = try Fixtures.leaf(["example.test"], from: -1, until: 89)
    let reference = try write(renewed)
    await cloud.resetLog()
    let result = try await AttachRunner(context: context).run(AttachRequest(certificate: reference, loadBalancers: ["alb-1"]))
    let id = await cloud.identifier(sha256: renewed.certificate.sha256Fingerprint) ?? "-"
    return (result, id)
  }

  private func associateCalls(_ cloud: FakeCloud) async -> Int {
    await cloud.calls.filter { $0.hasPrefix("Associate ") && !$0.hasSuffix(" dry") }.count
  }

  func testTwentyListenersOnAStandardInstanceConvergeInOneRunWithoutARefusal() async throws {
    let old = try Fixtures.leaf(["example.test"], from: -80, until: 10)
    let (cloud, oldIdentifier) = try await fleet(listeners: 20, quota: 25, predecessor: old)
    let (result, newIdentifier) = try await rotate(cloud, concurrency: 32)
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    XCTAssertEqual(result.report.listeners.filter { $0.outcome == .updated }.count, 20)
    for i in 1...20 {
      let ids = await cloud.certificateIds(on: "lsr-" + String(format: "%02d", i))
      XCTAssertTrue(ids.contains(newIdentifier))
      XCTAssertFalse(ids.contains(oldIdentifier))
    }
    // 25 - 20 = 5 free slots: four waves, and the API never had to refuse an association.
    let associations = await associateCalls(cloud)
    XCTAssertEqual(associations, 20)
    XCTAssertEqual(Set(result.plan.listeners.compactMap(\.wave)), [1, 2, 3, 4])
  }

  func testASmallerQuotaNamedByTheAPIIsLearnedAndTheRunStillConverges() async throws {
    let old = try Fixtures.leaf(["example.test"], from: -80, until: 10)
    let (cloud, oldIdentifier) = try await fleet(listeners: 10, quota: 12, predecessor: old)
    let (result, newIdentifier) = try await rotate(cloud, concurrency: 32)
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    for i in 1...10 {
      let ids = await cloud.certificateIds(on: "lsr-" + String(format: "%02d", i))
      XCTAssertEqual(ids.filter { $0 == newIdentifier || $0 == oldIdentifier }, [newIdentifier])
    }
  }

  func testKnownQuotaWithoutAFreeSlotFailsBeforeAnyChangeShowingTheRealUsage() async throws {
    let old = try Fixtures.leaf(["example.test"], from: -80, until: 10)
    let (cloud, _) = try await fleet(listeners: 20, quota: 20, predecessor: old)
    let (result, _) = try await rotate(cloud, quotas: ["alb-1": 20])
    XCTAssertEqual(result.report.listeners.filter { $0.outcome == .failed }.count, 20)
    let error = result.report.listeners.first?.error ?? ""
    XCTAssertTrue(error.contains("usage 20/20"), error)
    XCTAssertTrue(error.contains("LoadBalancerCertificatesNum"), error)
    XCTAssertTrue(error.contains("alb-1"), error)
    let writes = await cloud.writes.filter { !$0.hasPrefix("Upload") }
    XCTAssertEqual(writes, [])
  }

  func testEndStateBeyondTheKnownQuotaFailsBeforeAnyChangeNamingWhatIsNeeded() async throws {
    // The new certificate covers other names, so nothing is retired: 20 + 20 = 40 > 25.
    let old = try Fixtures.leaf(["old.test"], from: -80, until: 10)
    let (cloud, _) = try await fleet(listeners: 20, quota: 25, predecessor: old)
    let (result, _) = try await rotate(cloud, quotas: ["alb-1": 25])
    XCTAssertEqual(result.report.listeners.filter { $0.outcome == .failed }.count, 20)
    let error = result.report.listeners.first?.error ?? ""
    XCTAssertTrue(error.contains("usage 20/25"), error)
    XCTAssertTrue(error.contains("needs 40"), error)
    let associations = await associateCalls(cloud)
    XCTAssertEqual(associations, 0)
  }

  func testQuotaLearnedFromARefusalShowsTheRealUsageNotZero() async throws {
    // Not configured: the API refuses, names quota 20; the end state (20 + 20) cannot fit.
    let old = try Fixtures.leaf(["old.test"], from: -80, until: 10)
    let (cloud, _) = try await fleet(listeners: 20, quota: 20, predecessor: old)
    let (result, _) = try await rotate(cloud)
    XCTAssertTrue(result.report.hasFailures)
    for listener in result.report.listeners {
      let error = listener.error ?? ""
      XCTAssertTrue(error.contains("usage 20/20"), error)
      XCTAssertFalse(error.contains("usage 0"), error)
    }
    let writes = await cloud.writes.filter { !$0.hasPrefix("Upload") }
    XCTAssertEqual(writes, [])
  }
}

/// An Alibaba Cloud API that answers every certificate change "listener busy" forever, behind the real client.
final class BusyForeverTests: XCTestCase {
  final class BusyAPI: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var associates = 0
    private var actions: [String] = []

    var associateSends: Int { lock.withLock { associates } }
    var all: [String] { lock.withLock { actions } }

    func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
      let action = request.header("x-acs-action") ?? ""
      let n: Int = lock.withLock {
        actions.append(action)
        if action == "AssociateAdditionalCertificatesWithListener" { associates += 1 }
        return associates
      }
      switch action {
      case "AssociateAdditionalCertificatesWithListener":
        return Self.json(
          [
            "RequestId": "req-busy-\(n)", "Code": "IncorrectStatus.Listener",
            "Message": "The status of lsr-1 [Configuring] is incorrect.",
          ], status: 400)
      case "GetListenerAttribute":
        return Self.json([
          "RequestId": "req-attr", "ListenerId": "lsr-1", "LoadBalancerId": "alb-1", "ListenerProtocol": "HTTPS",
          "ListenerPort": 443, "ListenerStatus": "Running",
        ])
      default:
        return Self.json(["RequestId": "req-other", "Code": "UnexpectedAction", "Message": action], status: 400)
      }
    }

    static func json(_ object: [String: Any], status: Int = 200) -> HTTPResponseSpec {
      let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
      return HTTPResponseSpec(status: status, headers: [("content-type", "application/json")], body: Array(data))
    }
  }

  func testAChangeFailsAfterTheDocumentedNumberOfSendsWithTheLastRequestId() async throws {
    let api = BusyAPI()
    let runtime = ClientRuntime(
      now: { Fixtures.now }, nonce: { UUID().uuidString }, random: { 0.5 }, sleep: { _ in await Task.yield() })
    var logger = Logger(label: "certhook.test.busy")
    logger.logLevel = .critical
    let endpoint = try XCTUnwrap(URL(string: "http://127.0.0.1:1"))
    let configuration = ClientConfiguration(
      region: "cn-hangzhou", albEndpoint: endpoint, casEndpoint: endpoint, runtime: runtime, logger: logger)
    let credentials = StaticCredentialProvider(AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret"))
    let backend = AlibabaCloudBackend(
      alb: try ALBClient(configuration: configuration, credentials: credentials, transport: api),
      cas: try CASClient(configuration: configuration, credentials: credentials, transport: api),
      pollInterval: .milliseconds(1))
    let certificate = MappedCertificate(
      identifier: "200-cn-hangzhou", certId: 200, name: "new", sha256: nil, commonName: "example.test",
      dnsNames: ["example.test"], notBefore: nil, notAfter: nil)
    let plan = DeploymentPlan(
      deployment: nil, certificate: certificate, mode: .additional, replace: .none,
      listeners: [
        ListenerPlan(
          listenerId: "lsr-1", loadBalancerId: "alb-1", listenerProtocol: "HTTPS", port: 443,
          actions: [PlannedAction(kind: .associate, certificateIds: ["200-cn-hangzhou"], reason: "test")])
      ],
      loadBalancers: [LoadBalancerUsage(loadBalancerId: "alb-1", additionalCertificates: 0, quota: nil)])
    let executor = DeploymentExecutor(backend: backend, state: nil, now: Fixtures.now, jobTimeout: 5, logger: logger)
    let report = await executor.execute(plan, dryRun: false)
    XCTAssertEqual(report.listeners.first?.outcome, .failed)
    // The client never repeats a busy answer; the executor sends once more per observed busy state, up to the bound.
    XCTAssertEqual(api.associateSends, ChangeDecision.maxSends)
    XCTAssertEqual(api.associateSends, 4)
    let error = report.listeners.first?.error ?? ""
    XCTAssertTrue(error.contains("req-busy-4"), error)
    XCTAssertTrue(error.contains("sent 4 times"), error)
    XCTAssertEqual(api.all.filter { $0 == "GetListenerAttribute" }.count, 3, "waits for Running between sends")
  }
}
