import AlibabaCloud
import CertHookTestSupport
import CloudEmulator
import Foundation
import XCTest

/// Issue 13, point 3: `GAClient` against the emulator (and a scripted transport for paging and the region).
final class GAClientTests: XCTestCase {
  let accelerator = LoadBalancerWorld.ga
  let listener = LoadBalancerWorld.gaListener

  func start(_ seed: EmulatorSeed = LoadBalancerWorld.seed(), retry: RetryPolicy = RetryPolicy()) async throws
    -> (EmulatorHarness, GAClient)
  {
    let h = try await EmulatorHarness.startForClients(seed: seed, retry: retry)
    addTeardownBlock { await h.stop() }
    var ga = try h.gaClient()
    ga.pollInterval = .milliseconds(200)
    return (h, ga)
  }

  func testListAndDescribe() async throws {
    let (_, ga) = try await start()
    let all = try await ga.listListeners(acceleratorId: accelerator)
    XCTAssertEqual(Set(all.map(\.id)), [listener, "lsr-ga-client-80"])
    let https = try await ga.listListeners(acceleratorId: accelerator, protocol: "https")
    XCTAssertEqual(https.map(\.id), [listener])
    XCTAssertTrue(https.first?.acceptsCertificates ?? false)
    XCTAssertEqual(https.first?.port, 443)
    let described = try await ga.describeListener(listenerId: listener)
    XCTAssertTrue(described.isActive)
    XCTAssertEqual(described.acceleratorId, accelerator)
    XCTAssertEqual(described.certificateIds.count, 1, "the default certificate")
    let acc = try await ga.describeAccelerator(acceleratorId: accelerator)
    XCTAssertTrue(acc.isActive)
    let defaults = try await ga.listListenerCertificates(
      acceleratorId: accelerator, listenerId: listener, role: .default)
    XCTAssertEqual(defaults.map(\.certificateId), described.certificateIds)
    XCTAssertEqual(defaults.first?.domain, nil)
  }

  func testBindTwelveDomainsInCallsOfTenSwapInPlaceUnbindAndReplaceTheDefault() async throws {
    let (h, ga) = try await start(LoadBalancerWorld.seed(gaQuota: 12))
    var bindings: [GAClient.Binding] = []
    for serial in 1...12 {
      let domain = "g\(serial).example.com"
      bindings.append(
        .init(domain: domain, certificateId: try await h.uploadCertificate(domain, serial: UInt8(serial)).identifier))
    }
    let calls = try await ga.associateAdditionalCertificates(
      acceleratorId: accelerator, listenerId: listener, bindings: bindings, clientToken: "ga-bind")
    XCTAssertEqual(calls, 2)
    let writes = await h.writes().filter { $0.action == "AssociateAdditionalCertificatesWithListener" }
    XCTAssertEqual(writes.map(\.product), ["ga", "ga"])
    XCTAssertEqual(writes.map(\.clientToken), (0..<2).map { ALBClient.chunkToken("ga-bind", index: $0, count: 2) })
    let refused = await h.server.requestLog().filter { $0.code == "StateError.Accelerator" }
    XCTAssertEqual(refused.count, 0, "the second call waited for the accelerator instead of meeting its lock")
    let pending = try await ga.listListenerCertificates(
      acceleratorId: accelerator, listenerId: listener, role: .additional)
    XCTAssertEqual(pending.count, 12)
    XCTAssertTrue(pending.contains { $0.state == "updating" })
    try await ga.waitUntilActive(acceleratorId: accelerator, listenerId: listener, pollInterval: .milliseconds(200))
    var bound = try await ga.listListenerCertificates(
      acceleratorId: accelerator, listenerId: listener, role: .additional)
    XCTAssertEqual(Set(bound.compactMap(\.domain)), Set(bindings.map(\.domain)))
    XCTAssertTrue(bound.allSatisfy(\.isActive))
    XCTAssertEqual(bound.first { $0.domain == "g3.example.com" }?.certificateId, bindings[2].certificateId)

    // Swap g3's certificate in place: a dry run first changes nothing.
    let renewed = try await h.uploadCertificate("g3.example.com", serial: 30).identifier
    try await ga.updateAdditionalCertificate(
      acceleratorId: accelerator, listenerId: listener, domain: "g3.example.com", certificateId: renewed, dryRun: true)
    let afterDry = try await ga.listListenerCertificates(acceleratorId: accelerator, listenerId: listener)
    XCTAssertEqual(afterDry.first { $0.domain == "g3.example.com" }?.certificateId, bindings[2].certificateId)
    let dryRuns = await h.server.requestLog().filter { $0.dryRun }
    XCTAssertEqual(dryRuns.map(\.code), ["DryRunOperation"])
    try await ga.updateAdditionalCertificate(
      acceleratorId: accelerator, listenerId: listener, domain: "g3.example.com", certificateId: renewed)
    try await ga.waitUntilActive(acceleratorId: accelerator, listenerId: listener, pollInterval: .milliseconds(200))
    bound = try await ga.listListenerCertificates(acceleratorId: accelerator, listenerId: listener, role: .additional)
    XCTAssertEqual(bound.first { $0.domain == "g3.example.com" }?.certificateId, renewed)
    XCTAssertEqual(bound.count, 12)

    let unbound = try await ga.dissociateAdditionalCertificates(
      acceleratorId: accelerator, listenerId: listener, domains: ["g1.example.com", "g2.example.com"])
    XCTAssertEqual(unbound, 1)
    try await ga.waitUntilActive(acceleratorId: accelerator, listenerId: listener, pollInterval: .milliseconds(200))
    bound = try await ga.listListenerCertificates(acceleratorId: accelerator, listenerId: listener, role: .additional)
    XCTAssertEqual(bound.count, 10)
    XCTAssertFalse(bound.contains { $0.domain == "g1.example.com" })

    let newDefault = try await h.uploadCertificate("ga-default.example.com", serial: 31).identifier
    try await ga.updateListenerDefaultCertificate(listenerId: listener, certificateId: newDefault)
    let updating = try await ga.describeListener(listenerId: listener)
    XCTAssertEqual(updating.state, "updating")
    try await ga.waitUntilActive(acceleratorId: accelerator, listenerId: listener, pollInterval: .milliseconds(200))
    let described = try await ga.describeListener(listenerId: listener)
    XCTAssertEqual(described.defaultCertificateId, newDefault)
    XCTAssertEqual(described.state, "active")
  }

  func testNotFoundAndTheAcceleratorLockAreTypedWithRequestId() async throws {
    let (h, ga) = try await start(retry: .none)
    do {
      _ = try await ga.describeListener(listenerId: "lsr-missing")
      XCTFail("expected not found")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.httpStatus, 404)
      XCTAssertEqual(error.code, "NotExist.Listener")
      XCTAssertEqual(error.product, .ga)
      XCTAssertFalse(error.requestId?.isEmpty ?? true)
    }
    do {
      _ = try await ga.describeAccelerator(acceleratorId: "ga-missing")
      XCTFail("expected not found")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "NotExist.Accelerator")
    }
    let a = try await h.uploadCertificate("lock-a.example.com", serial: 50).identifier
    let b = try await h.uploadCertificate("lock-b.example.com", serial: 51).identifier
    try await ga.associateAdditionalCertificates(
      acceleratorId: accelerator, listenerId: listener,
      bindings: [.init(domain: "lock-a.example.com", certificateId: a)])
    do {
      try await ga.associateAdditionalCertificates(
        acceleratorId: accelerator, listenerId: listener,
        bindings: [.init(domain: "lock-b.example.com", certificateId: b)])
      XCTFail("the accelerator is locked while the first write is applied")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "StateError.Accelerator")
      XCTAssertEqual(error.product, .ga)
      XCTAssertFalse(error.requestId?.isEmpty ?? true)
      XCTAssertTrue(error.isRetryable, "GA's row retries its accelerator lock")
      XCTAssertTrue(
        error.description.hasPrefix("GA AssociateAdditionalCertificatesWithListener: StateError.Accelerator"))
    }
    let acc = try await ga.describeAccelerator(acceleratorId: accelerator)
    XCTAssertEqual(acc.state, "configuring")
  }

  func testTheLockIsRetriedUntilTheAcceleratorIsActive() async throws {
    let (h, ga) = try await start()
    let a = try await h.uploadCertificate("retry-a.example.com", serial: 52).identifier
    let b = try await h.uploadCertificate("retry-b.example.com", serial: 53).identifier
    try await ga.associateAdditionalCertificates(
      acceleratorId: accelerator, listenerId: listener,
      bindings: [.init(domain: "retry-a.example.com", certificateId: a)])
    try await ga.associateAdditionalCertificates(
      acceleratorId: accelerator, listenerId: listener,
      bindings: [.init(domain: "retry-b.example.com", certificateId: b)])
    let refused = await h.server.requestLog().filter { $0.code == "StateError.Accelerator" }
    XCTAssertGreaterThanOrEqual(refused.count, 1)
    try await ga.waitUntilActive(acceleratorId: accelerator, listenerId: listener, pollInterval: .milliseconds(200))
    let bound = try await ga.listListenerCertificates(
      acceleratorId: accelerator, listenerId: listener, role: .additional)
    XCTAssertEqual(Set(bound.compactMap(\.domain)), ["retry-a.example.com", "retry-b.example.com"])
  }

  /// Every call names cn-hangzhou whatever the session's region; ListListeners pages by number; a wait ends.
  func testRegionPagingAndWaitTimeout() async throws {
    let transport = FakeTransport { request, _ in
      switch request.action {
      case "ListListeners":
        let page = Int(request.parameters["PageNumber"] ?? "") ?? 0
        let ids = page == 1 ? (1...50).map { "lsr-\($0)" } : ["lsr-51"]
        return FakeTransport.json([
          "RequestId": "r", "TotalCount": 51,
          "Listeners": ids.map { ["ListenerId": $0, "AcceleratorId": "ga-1", "Protocol": "HTTPS", "State": "active"] },
        ])
      default:
        return FakeTransport.json(["RequestId": "r", "ListenerId": "lsr-1", "State": "updating"])
      }
    }
    let clock = TestClock(Fixtures.clientStart)
    var configuration = Fixtures.configuration(clock: clock)
    configuration.region = "eu-central-1"
    let ga = try GAClient(
      configuration: configuration, credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport)
    XCTAssertEqual(ga.rpc.endpoint.host, "ga.cn-hangzhou.aliyuncs.com")
    let gaOnLoopback = try GAClient(
      rpc: AcsRPCClient(
        endpoint: URL(string: "http://127.0.0.1:9")!, version: GAClient.version,
        credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport, configuration: configuration)
    )
    let listeners = try await gaOnLoopback.listListeners()
    XCTAssertEqual(listeners.count, 51)
    XCTAssertEqual(transport.requests.map { $0.parameters["PageNumber"] }, ["1", "2"])
    XCTAssertEqual(transport.requests[0].parameters["PageSize"], "50")
    do {
      try await gaOnLoopback.waitUntilActive(
        acceleratorId: "ga-1", listenerId: "lsr-1", timeout: .seconds(5), pollInterval: .seconds(1))
      XCTFail("the listener never gets active")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .timeout)
      XCTAssertTrue(error.message.contains("listener lsr-1 still updating"), error.message)
    }
    XCTAssertTrue(transport.requests.allSatisfy { $0.parameters["RegionId"] == "cn-hangzhou" })
    XCTAssertEqual(transport.requests.last?.header("x-acs-version"), "2019-11-20")
  }

  /// ListListenerCertificates follows NextToken; 11 domains unbind in calls of 10 and 1, the client checking that
  /// the listener and the accelerator are active before the second call.
  func testCertificatePagingAndDomainSplits() async throws {
    let transport = FakeTransport { request, _ in
      switch request.action {
      case "ListListenerCertificates":
        let first = request.parameters["NextToken"] == nil
        return FakeTransport.json([
          "RequestId": "r", "NextToken": first ? "n2" : "",
          "Certificates": [
            first
              ? ["CertificateId": "1-cn-hangzhou", "IsDefault": true, "State": "active"]
              : ["CertificateId": "2-cn-hangzhou", "Domain": "a.example", "IsDefault": false, "State": "updating"]
          ],
        ])
      default:
        return FakeTransport.json(["RequestId": "r", "ListenerId": "lsr-1", "State": "active"])
      }
    }
    let ga = try GAClient(
      configuration: Fixtures.configuration(clock: TestClock(Fixtures.clientStart)),
      credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport,
      endpoint: URL(string: "http://127.0.0.1:9"))
    let certificates = try await ga.listListenerCertificates(acceleratorId: "ga-1", listenerId: "lsr-1")
    XCTAssertEqual(
      certificates,
      [
        GAListenerCertificate(certificateId: "1-cn-hangzhou", domain: nil, isDefault: true, state: "active"),
        GAListenerCertificate(certificateId: "2-cn-hangzhou", domain: "a.example", isDefault: false, state: "updating"),
      ])
    XCTAssertEqual(transport.requests.map { $0.parameters["NextToken"] }, [nil, "n2"])
    XCTAssertEqual(transport.requests[0].parameters["MaxResults"], "50")
    XCTAssertNil(transport.requests[0].parameters["Role"], "no role: both")

    let before = transport.requests.count
    let domains = (1...11).map { "d\($0).example" }
    let calls = try await ga.dissociateAdditionalCertificates(
      acceleratorId: "ga-1", listenerId: "lsr-1", domains: domains, clientToken: "t")
    XCTAssertEqual(calls, 2)
    let sent = transport.requests.dropFirst(before)
    XCTAssertEqual(
      sent.map(\.action),
      [
        "DissociateAdditionalCertificatesFromListener", "DescribeListener", "DescribeAccelerator",
        "DissociateAdditionalCertificatesFromListener",
      ])
    let writes = sent.filter { $0.action == "DissociateAdditionalCertificatesFromListener" }
    XCTAssertEqual(writes.map { $0.parameters.keys.filter { $0.hasPrefix("Domains.") }.count }, [10, 1])
    XCTAssertEqual(writes[1].parameters["Domains.1"], "d11.example")
    XCTAssertEqual(
      writes.map { $0.parameters["ClientToken"] }, (0..<2).map { ALBClient.chunkToken("t", index: $0, count: 2) })

    try await ga.associateAdditionalCertificates(
      acceleratorId: "ga-1", listenerId: "lsr-1", bindings: [.init(domain: "x.example", certificateId: "7-cn-hangzhou")]
    )
    let bind = try XCTUnwrap(transport.requests.last)
    XCTAssertEqual(bind.parameters["Certificates.1.Id"], "7-cn-hangzhou")
    XCTAssertEqual(bind.parameters["Certificates.1.Domain"], "x.example")
    XCTAssertEqual(bind.parameters["AcceleratorId"], "ga-1")
  }
}
