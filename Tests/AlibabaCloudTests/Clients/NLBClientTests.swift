import AlibabaCloud
import CertHookTestSupport
import CloudEmulator
import Foundation
import XCTest

/// Issue 13, point 2: `NLBClient` against the emulator (and a scripted transport for the wire details).
final class NLBClientTests: XCTestCase {
  let listener = LoadBalancerWorld.nlbListener

  func start(_ seed: EmulatorSeed = LoadBalancerWorld.seed(), retry: RetryPolicy = RetryPolicy()) async throws
    -> (EmulatorHarness, NLBClient)
  {
    let h = try await EmulatorHarness.startForClients(seed: seed, retry: retry)
    addTeardownBlock { await h.stop() }
    return (h, try h.nlbClient())
  }

  func testListListenersPagesFiltersAndKeepsALBApart() async throws {
    let (h, nlb) = try await start(LoadBalancerWorld.seed(extraNLBListeners: 130))
    let all = try await nlb.listListeners()
    XCTAssertEqual(all.count, 132)
    XCTAssertFalse(all.contains { $0.id.hasPrefix("lsr-") }, "no ALB or GA listener")
    let pages = await h.server.requestLog().filter { $0.action == "ListListeners" && $0.product == "nlb" }
    XCTAssertEqual(pages.count, 2, "132 listeners in pages of 100")

    let ssl = try await nlb.listListeners(loadBalancerIds: [LoadBalancerWorld.nlb], protocol: "TCPSSL")
    XCTAssertEqual(ssl.map(\.id), [listener])
    XCTAssertEqual(ssl.first?.port, 443)
    XCTAssertTrue(ssl.first?.acceptsCertificates ?? false)
    XCTAssertEqual(ssl.first?.certificateIds.count, 1, "the default certificate")
    let tcp = try await nlb.listListeners(loadBalancerIds: [LoadBalancerWorld.nlb], protocol: "TCP")
    XCTAssertEqual(tcp.map(\.id), ["lsn-client-80"])
    XCTAssertFalse(tcp.first?.acceptsCertificates ?? true)

    // 25 listener IDs go out as two filters of at most 20.
    let ids = (1...25).map { "lsn-many-\($0)" }
    let before = await h.server.requestLog().count
    let picked = try await nlb.listListeners(listenerIds: ids)
    XCTAssertEqual(Set(picked.map(\.id)), Set(ids))
    let calls = await h.server.requestLog().dropFirst(before).filter { $0.action == "ListListeners" }
    XCTAssertEqual(calls.count, 2)
  }

  func testAttributeAndCertificatesAfterAnAssociationOfSixteenSplitIntoFifteenAndOne() async throws {
    let (h, nlb) = try await start()
    var identifiers: [String] = []
    for serial in 1...16 {
      identifiers.append(try await h.uploadCertificate("n\(serial).example.com", serial: UInt8(serial)).identifier)
    }
    let attribute = try await nlb.getListenerAttribute(listenerId: listener)
    XCTAssertEqual(attribute.status, "Running")
    let seededDefault = try XCTUnwrap(attribute.defaultCertificateId)

    let jobs = try await nlb.associateAdditionalCertificates(
      listenerId: listener, certificateIds: identifiers, clientToken: "nlb-assoc")
    XCTAssertEqual(jobs.count, 2, "16 certificates: a call of 15, then one of 1")
    let writes = await h.writes().filter { $0.action == "AssociateAdditionalCertificatesWithListener" }
    XCTAssertEqual(writes.count, 2)
    XCTAssertEqual(writes.map(\.product), ["nlb", "nlb"])
    XCTAssertEqual(
      writes.map(\.clientToken), (0..<2).map { ALBClient.chunkToken("nlb-assoc", index: $0, count: 2) },
      "each chunk has its own token, derived from the caller's")
    var certificates = try await nlb.listListenerCertificates(listenerId: listener)
    // The first chunk's job ended while the client retried the second chunk on the locked listener.
    XCTAssertEqual(certificates.first { $0.certificateId == identifiers[0] }?.status, .associated)
    XCTAssertEqual(certificates.first { $0.certificateId == identifiers[15] }?.status, .associating)
    for job in jobs { try await nlb.waitForJob(jobId: job, timeout: .seconds(60), pollInterval: .milliseconds(200)) }
    certificates = try await nlb.listListenerCertificates(listenerId: listener)
    XCTAssertEqual(certificates.filter { !$0.isDefault }.map(\.certificateId).sorted(), identifiers.sorted())
    XCTAssertTrue(certificates.filter { !$0.isDefault }.allSatisfy { $0.status == .associated })
    XCTAssertEqual(certificates.first { $0.isDefault }?.certificateId, seededDefault)

    let out = try await nlb.disassociateAdditionalCertificates(
      listenerId: listener, certificateIds: Array(identifiers.prefix(3)))
    XCTAssertEqual(out.count, 1)
    let leaving = try await nlb.listListenerCertificates(listenerId: listener)
    XCTAssertEqual(leaving.first { $0.certificateId == identifiers[0] }?.status, .dissociating)
    try await nlb.waitForJob(jobId: out[0], timeout: .seconds(60), pollInterval: .milliseconds(200))
    certificates = try await nlb.listListenerCertificates(listenerId: listener)
    XCTAssertEqual(certificates.filter { !$0.isDefault }.count, 13)
    XCTAssertFalse(certificates.contains { $0.certificateId == identifiers[0] })
  }

  func testDefaultCertificateUpdateWaitsForJobAndRunning() async throws {
    let (h, nlb) = try await start()
    let c = try await h.uploadCertificate("default.example.com", serial: 40)
    let dry = try await nlb.updateListenerDefaultCertificate(
      listenerId: listener, certificateId: c.identifier, dryRun: true)
    XCTAssertNil(dry, "a passing dry run starts no job")
    let unchanged = try await nlb.getListenerAttribute(listenerId: listener)
    XCTAssertNotEqual(unchanged.defaultCertificateId, c.identifier)
    let started = try await nlb.updateListenerDefaultCertificate(listenerId: listener, certificateId: c.identifier)
    let job = try XCTUnwrap(started)
    let processing = try await nlb.getJobStatus(jobId: job)
    XCTAssertEqual(processing, .processing)
    try await nlb.waitForJob(jobId: job, timeout: .seconds(30), pollInterval: .milliseconds(200))
    let succeeded = try await nlb.getJobStatus(jobId: job)
    XCTAssertEqual(succeeded, .succeeded)
    let running = try await nlb.waitForListenerRunning(
      listenerId: listener, timeout: .seconds(30), pollInterval: .milliseconds(200))
    XCTAssertEqual(running.defaultCertificateId, c.identifier)
    XCTAssertEqual(running.certificateIds, [c.identifier])
    let state = await h.listener(listener)
    XCTAssertEqual(state?.defaultCertificateId, c.identifier)
  }

  func testDryRunPassesWithoutChangeAndFailsTyped() async throws {
    let (h, nlb) = try await start()
    let a = try await h.uploadCertificate("dry.example.com", serial: 41)
    let jobs = try await nlb.associateAdditionalCertificates(
      listenerId: listener, certificateIds: [a.identifier], dryRun: true)
    XCTAssertEqual(jobs, [])
    let certificates = try await nlb.listListenerCertificates(listenerId: listener)
    XCTAssertFalse(certificates.contains { $0.certificateId == a.identifier }, "a dry run changes nothing")
    let dryRuns = await h.server.requestLog().filter { $0.dryRun && $0.product == "nlb" }
    XCTAssertEqual(dryRuns.map(\.code), ["DryRunOperation"])
    do {
      _ = try await nlb.associateAdditionalCertificates(
        listenerId: listener, certificateIds: ["999999-cn-hangzhou"], dryRun: true)
      XCTFail("a failing precheck is an error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "ResourceNotFound.certificate")
      XCTAssertEqual(error.product, .nlb)
      XCTAssertNotNil(error.requestId)
    }
  }

  func testNotFoundAndLockedAreTypedWithRequestId() async throws {
    let (h, nlb) = try await start(retry: .none)
    do {
      _ = try await nlb.getListenerAttribute(listenerId: "lsn-missing")
      XCTFail("expected not found")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .api)
      XCTAssertEqual(error.httpStatus, 404)
      XCTAssertEqual(error.code, "ResourceNotFound.listener")
      XCTAssertEqual(error.action, "GetListenerAttribute")
      XCTAssertEqual(error.product, .nlb)
      XCTAssertFalse(error.requestId?.isEmpty ?? true)
    }
    do {
      _ = try await nlb.getJobStatus(jobId: "job-missing")
      XCTFail("expected not found")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "ResourceNotFound.JobId")
    }
    let a = try await h.uploadCertificate("lock-a.example.com", serial: 42)
    let b = try await h.uploadCertificate("lock-b.example.com", serial: 43)
    _ = try await nlb.associateAdditionalCertificates(listenerId: listener, certificateIds: [a.identifier])
    do {
      _ = try await nlb.associateAdditionalCertificates(listenerId: listener, certificateIds: [b.identifier])
      XCTFail("the listener is locked while the first job runs")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "Conflict.Lock")
      XCTAssertEqual(error.product, .nlb)
      XCTAssertFalse(error.requestId?.isEmpty ?? true)
      XCTAssertTrue(error.isRetryable, "NLB's row retries its lock")
      XCTAssertTrue(ApiAction.isBusy("Conflict.Lock", action: error.action, product: error.product))
    }
  }

  func testLockedListenerIsRetriedUntilTheJobEnds() async throws {
    let (h, nlb) = try await start()
    let a = try await h.uploadCertificate("retry-a.example.com", serial: 44)
    let b = try await h.uploadCertificate("retry-b.example.com", serial: 45)
    _ = try await nlb.associateAdditionalCertificates(listenerId: listener, certificateIds: [a.identifier])
    let second = try await nlb.associateAdditionalCertificates(listenerId: listener, certificateIds: [b.identifier])
    XCTAssertEqual(second.count, 1)
    let locked = await h.server.requestLog().filter { $0.code == "Conflict.Lock" }
    XCTAssertGreaterThanOrEqual(locked.count, 1)
  }

  /// The wire: certificate writes and the certificate listing travel in a form body (as the SDK sends them), the
  /// other calls in the query; GetJobStatus matches its status in any case; ListListenerCertificates pages by 50.
  func testFormBodyPagingAndCaseInsensitiveJobStatus() async throws {
    let transport = FakeTransport { request, index in
      switch request.action {
      case "ListListenerCertificates":
        let first = request.parameters["NextToken"] == nil
        return FakeTransport.json([
          "RequestId": "r\(index)", "NextToken": first ? "page2" : "",
          "Certificates": [
            ["CertificateId": first ? "1-cn-hangzhou" : "2-cn-hangzhou", "IsDefault": first, "Status": "Diassociating"]
          ],
        ])
      case "GetJobStatus":
        return FakeTransport.json(["RequestId": "r", "Status": index == 0 ? "processing" : "SUCCEEDED"])
      default:
        return FakeTransport.json(["RequestId": "r", "JobId": "job-\(index)"])
      }
    }
    let clock = TestClock(Fixtures.clientStart)
    let nlb = try NLBClient(
      configuration: Fixtures.configuration(clock: clock), credentials: StaticCredentialProvider(Fixtures.credentials),
      transport: transport, endpoint: URL(string: "http://127.0.0.1:9"))
    let first = try await nlb.getJobStatus(jobId: "j")
    XCTAssertEqual(first, .processing)
    try await nlb.waitForJob(jobId: "j", timeout: .seconds(10), pollInterval: .milliseconds(100))
    XCTAssertNil(transport.requests[0].parameters["RegionId"], "GetJobStatus takes no RegionId")

    let certs = try await nlb.listListenerCertificates(listenerId: "lsn-1")
    XCTAssertEqual(certs.map(\.certificateId), ["1-cn-hangzhou", "2-cn-hangzhou"])
    XCTAssertEqual(certs.map(\.status), [.dissociating, .dissociating])
    let listing = transport.requests.filter { $0.action == "ListListenerCertificates" }
    XCTAssertEqual(listing.count, 2)
    XCTAssertEqual(listing[0].header("content-type"), "application/x-www-form-urlencoded")
    XCTAssertNil(listing[0].url.query, "nothing in the query")
    XCTAssertEqual(listing[0].parameters["MaxResults"], "50")
    XCTAssertEqual(listing[0].parameters["CertType"], "Server")
    XCTAssertEqual(listing[1].parameters["NextToken"], "page2")

    let ids = (1...31).map { "\($0)-cn-hangzhou" }
    let jobs = try await nlb.associateAdditionalCertificates(listenerId: "lsn-1", certificateIds: ids, clientToken: "t")
    XCTAssertEqual(jobs.count, 3)
    let writes = transport.requests.filter { $0.action == "AssociateAdditionalCertificatesWithListener" }
    XCTAssertEqual(
      writes.map { $0.parameters.keys.filter { $0.hasPrefix("AdditionalCertificateIds.") }.count }, [15, 15, 1])
    XCTAssertEqual(writes[1].parameters["AdditionalCertificateIds.1"], "16-cn-hangzhou")
    XCTAssertEqual(writes[0].parameters["RegionId"], "cn-hangzhou")
    XCTAssertTrue(writes.allSatisfy { $0.header("content-type") == "application/x-www-form-urlencoded" })
    XCTAssertTrue(
      String(decoding: writes[0].body, as: UTF8.self).contains("AdditionalCertificateIds.15=15-cn-hangzhou"))
    XCTAssertTrue(writes.allSatisfy { $0.url.query == nil })

    _ = try await nlb.updateListenerDefaultCertificate(listenerId: "lsn-1", certificateId: "9-cn-hangzhou")
    let update = try XCTUnwrap(transport.requests.last)
    XCTAssertEqual(update.action, "UpdateListenerAttribute")
    XCTAssertEqual(update.header("x-acs-version"), "2022-04-30")
    XCTAssertEqual(update.parameters["CertificateIds.1"], "9-cn-hangzhou")
    XCTAssertEqual(update.header("content-type"), "application/x-www-form-urlencoded")
  }

  func testAClientOfAnotherVersionIsRefused() throws {
    let configuration = Fixtures.configuration(clock: TestClock(Fixtures.clientStart))
    let alb = AcsRPCClient(
      endpoint: URL(string: "http://127.0.0.1:9")!, version: ALBClient.version,
      credentials: StaticCredentialProvider(Fixtures.credentials),
      transport: FakeTransport { _, _ in .init(status: 500, headers: [], body: []) },
      configuration: configuration)
    XCTAssertThrowsError(try NLBClient(rpc: alb)) { error in
      XCTAssertTrue("\(error)".contains("2022-04-30"), "\(error)")
    }
  }
}
