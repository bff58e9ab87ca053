import AlibabaCloud
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Every client operation against the in-process emulator.
final class EmulatorClientTests: XCTestCase {
  private let httpsListener = "lsr-emulator-443"

  func testReadsListenersAttributesAndCertificates() async throws {
    let h = try await EmulatorHarness.startForClients()
    do {
      let all = try await h.alb.listListeners()
      XCTAssertEqual(Set(all.map(\.id)), ["lsr-emulator-443", "lsr-emulator-quic", "lsr-emulator-80"])
      let https = try await h.alb.listListeners(loadBalancerIds: ["alb-emulator01"], protocol: "HTTPS")
      XCTAssertEqual(https.map(\.id), [httpsListener])
      XCTAssertEqual(https.first?.port, 443)
      let attribute = try await h.alb.getListenerAttribute(listenerId: httpsListener)
      XCTAssertEqual(attribute.status, "Running")
      let defaultId = try XCTUnwrap(attribute.defaultCertificateId)
      XCTAssertTrue(defaultId.hasSuffix("-cn-hangzhou"))
      let certs = try await h.alb.listListenerCertificates(listenerId: httpsListener)
      XCTAssertEqual(certs.filter(\.isDefault).map(\.certificateId), [defaultId])
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }

  func testCASUploadListDetailDelete() async throws {
    let h = try await EmulatorHarness.startForClients()
    do {
      let pair = try EmulatorHarness.certificate("example.com", serial: 7)
      let up = try await h.cas.uploadUserCertificate(name: "certhook-example", certificatePEM: pair.cert, keyPEM: pair.key)
      let detail = try await h.cas.getUserCertificateDetail(certId: up.certId)
      XCTAssertEqual(detail.certIdentifier, "\(up.certId)-cn-hangzhou")
      XCTAssertEqual(detail.commonName, "example.com")
      XCTAssertEqual(Set(detail.sans), ["example.com", "www.example.com"])
      XCTAssertEqual(detail.sha2?.count, 64)
      XCTAssertEqual(detail.fingerprint?.count, 40)
      XCTAssertNil(detail.privateKeyPEM)
      XCTAssertNotNil(detail.notAfter)
      let full = try await h.cas.getUserCertificateDetail(certId: up.certId, includePEM: true)
      XCTAssertEqual(full.certificatePEM?.contains("BEGIN CERTIFICATE"), true)
      XCTAssertEqual(full.privateKeyPEM?.contains("PRIVATE KEY"), true)
      let listed = try await h.cas.listUserCertificates(keyword: "example.com")
      XCTAssertTrue(listed.contains { $0.certificateId == up.certId && $0.name == "certhook-example" })
      do {
        _ = try await h.cas.uploadUserCertificate(name: "certhook-example", certificatePEM: pair.cert, keyPEM: pair.key)
        XCTFail("duplicate name must fail")
      } catch let error as AlibabaCloudError {
        XCTAssertEqual(error.kind, .api)
        XCTAssertFalse(error.isRetryable)
      }
      try await h.cas.deleteUserCertificate(certId: up.certId)
      do {
        _ = try await h.cas.getUserCertificateDetail(certId: up.certId)
        XCTFail("deleted certificate must be gone")
      } catch let error as AlibabaCloudError {
        XCTAssertTrue(error.apiCode?.hasPrefix("NotFound") ?? false, "\(error)")
      }
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }

  func testCASListPagesThroughManyCertificates() async throws {
    let h = try await EmulatorHarness.startForClients()
    do {
      for i in 0..<55 {
        _ = try await h.uploadCertificate("page\(i).example.org", serial: UInt8(i + 1))
      }
      let listed = try await h.cas.listUserCertificates()
      XCTAssertGreaterThanOrEqual(listed.filter { $0.name.hasPrefix("certhook-page") }.count, 55)
      let requests = await h.server.requestLog().filter { $0.action == "ListUserCertificateOrder" }
      XCTAssertGreaterThanOrEqual(requests.count, 2, "page-number paging")
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }

  func testAssociateWaitDissociateAndDryRun() async throws {
    let h = try await EmulatorHarness.startForClients()
    do {
      let a = try await h.uploadCertificate("a.example.com", serial: 1)
      let b = try await h.uploadCertificate("b.example.com", serial: 2)
      let dry = try await h.alb.associateAdditionalCertificates(
        listenerId: httpsListener, certificateIds: [a.identifier], dryRun: true)
      XCTAssertEqual(dry, [])
      var certs = try await h.alb.listListenerCertificates(listenerId: httpsListener)
      XCTAssertFalse(certs.contains { $0.certificateId == a.identifier }, "dry run changes nothing")

      let jobs = try await h.alb.associateAdditionalCertificates(
        listenerId: httpsListener, certificateIds: [a.identifier, b.identifier], clientToken: "assoc-1")
      XCTAssertEqual(jobs.count, 1)
      certs = try await h.alb.listListenerCertificates(listenerId: httpsListener)
      XCTAssertEqual(certs.first { $0.certificateId == a.identifier }?.status, .associating)
      let job = try await h.alb.waitForJob(jobId: jobs[0], timeout: .seconds(30), pollInterval: .milliseconds(200))
      XCTAssertEqual(job.status, .succeeded)
      try await h.alb.waitForListenerRunning(listenerId: httpsListener, timeout: .seconds(30), pollInterval: .milliseconds(200))
      certs = try await h.alb.listListenerCertificates(listenerId: httpsListener)
      XCTAssertEqual(certs.first { $0.certificateId == b.identifier }?.status, .associated)

      let out = try await h.alb.dissociateAdditionalCertificates(listenerId: httpsListener, certificateIds: [a.identifier])
      try await h.alb.waitForJob(jobId: try XCTUnwrap(out.first), timeout: .seconds(30), pollInterval: .milliseconds(200))
      certs = try await h.alb.listListenerCertificates(listenerId: httpsListener)
      XCTAssertFalse(certs.contains { $0.certificateId == a.identifier })
      XCTAssertTrue(certs.contains { $0.certificateId == b.identifier })
      let state = await h.server.state()
      XCTAssertEqual(state.listener(httpsListener)?.status, "Running")
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }

  func testUpdateDefaultCertificate() async throws {
    let h = try await EmulatorHarness.startForClients()
    do {
      let c = try await h.uploadCertificate("default.example.com", serial: 3)
      let jobId = try await h.alb.updateListenerDefaultCertificate(listenerId: httpsListener, certificateId: c.identifier)
      try await h.alb.waitForJob(jobId: jobId, timeout: .seconds(30), pollInterval: .milliseconds(200))
      let attribute = try await h.alb.waitForListenerRunning(listenerId: httpsListener, timeout: .seconds(30), pollInterval: .milliseconds(200))
      XCTAssertEqual(attribute.defaultCertificateId, c.identifier)
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }

  func testErrorCodes() async throws {
    var seed = EmulatorSeed.default
    seed.loadBalancers[0].certificateQuota = 1
    let h = try await EmulatorHarness.startForClients(seed: seed)
    func expect(_ code: String, _ body: () async throws -> Void) async {
      do {
        try await body()
        XCTFail("expected \(code)")
      } catch let error as AlibabaCloudError {
        XCTAssertEqual(error.apiCode, code, "\(error)")
        XCTAssertNotNil(error.requestId)
      } catch {
        XCTFail("unexpected \(error)")
      }
    }
    do {
      let a = try await h.uploadCertificate("a.example.net", serial: 1)
      let b = try await h.uploadCertificate("b.example.net", serial: 2)
      let attribute = try await h.alb.getListenerAttribute(listenerId: httpsListener)
      let defaultId = try XCTUnwrap(attribute.defaultCertificateId)
      await expect("ResourceNotFound.Certificate") {
        _ = try await h.alb.associateAdditionalCertificates(listenerId: httpsListener, certificateIds: ["999999-cn-hangzhou"])
      }
      await expect("ResourceNotAssociated.Certificate") {
        _ = try await h.alb.dissociateAdditionalCertificates(listenerId: httpsListener, certificateIds: [a.identifier])
      }
      await expect("OperationDenied.DefaultCertificateUsed") {
        _ = try await h.alb.dissociateAdditionalCertificates(listenerId: httpsListener, certificateIds: [defaultId])
      }
      let jobs = try await h.alb.associateAdditionalCertificates(listenerId: httpsListener, certificateIds: [a.identifier])
      try await h.alb.waitForJob(jobId: jobs[0], timeout: .seconds(30), pollInterval: .milliseconds(200))
      await expect("ResourceAlreadyAssociated.Certificate") {
        _ = try await h.alb.associateAdditionalCertificates(listenerId: httpsListener, certificateIds: [a.identifier])
      }
      await expect("ResourceQuotaExceeded.LoadBalancerCertificatesNum") {
        _ = try await h.alb.associateAdditionalCertificates(listenerId: "lsr-emulator-quic", certificateIds: [b.identifier])
      }
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }

  func testConfiguringListenerAnswersBusyAndTheCallerSendsAgainWhenRunning() async throws {
    let h = try await EmulatorHarness.startForClients()
    do {
      let a = try await h.uploadCertificate("c1.example.com", serial: 1)
      let b = try await h.uploadCertificate("c2.example.com", serial: 2)
      let first = try await h.alb.associateAdditionalCertificates(listenerId: httpsListener, certificateIds: [a.identifier])
      // The listener is Configuring now: the second change answers IncorrectStatus.Listener. Since issue 8 the
      // client returns it at once (with the RequestId); the caller waits for Running and sends again.
      do {
        _ = try await h.alb.associateAdditionalCertificates(listenerId: httpsListener, certificateIds: [b.identifier])
        XCTFail("expected IncorrectStatus.Listener")
      } catch let error as AlibabaCloudError {
        XCTAssertEqual(error.code, "IncorrectStatus.Listener")
        XCTAssertNotNil(error.requestId)
      }
      _ = try await h.alb.waitForListenerRunning(listenerId: httpsListener, pollInterval: .milliseconds(20))
      let second = try await h.alb.associateAdditionalCertificates(listenerId: httpsListener, certificateIds: [b.identifier])
      XCTAssertEqual(first.count, 1)
      XCTAssertEqual(second.count, 1)
      let records = await h.server.requestLog().filter { $0.action == "AssociateAdditionalCertificatesWithListener" }
      XCTAssertTrue(records.contains { $0.code == "IncorrectStatus.Listener" })
      let metrics = await h.configuration.metrics.snapshot()["AssociateAdditionalCertificatesWithListener"]
      XCTAssertEqual(metrics?.retries ?? 0, 0)
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }

  func testWriteRetriedAfterDroppedConnectionAppliesOnce() async throws {
    let h = try await EmulatorHarness.start { config in
      config.faults = FaultSpec(reset: 0.35)
      config.faultSeed = 7
    }
    do {
      var identifiers: [String] = []
      for i in 0..<4 {
        identifiers.append(try await h.uploadCertificate("r\(i).example.com", serial: UInt8(i + 1)).identifier)
      }
      for id in identifiers {
        let jobs = try await h.alb.associateAdditionalCertificates(listenerId: httpsListener, certificateIds: [id])
        try await h.alb.waitForJob(jobId: jobs[0], timeout: .seconds(60), pollInterval: .milliseconds(200))
      }
      let log = await h.server.requestLog()
      XCTAssertTrue(log.contains { $0.fault == "reset" && $0.action == "AssociateAdditionalCertificatesWithListener" || $0.fault == "reset" && $0.action == "UploadUserCertificate" },
                    "the fault seed must drop at least one write")
      let replayed = log.filter { $0.replayed }
      XCTAssertFalse(replayed.isEmpty, "a retried write was answered from its ClientToken")
      let events = await h.server.events().filter { $0.kind == .certificateAssociated }
      for id in identifiers {
        XCTAssertEqual(events.filter { $0.certificateId == id }.count, 1, id)
      }
      let state = await h.server.state()
      XCTAssertEqual(state.certificates.filter { $0.name.hasPrefix("certhook-r") }.count, 4, "each upload applied once")
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }

  func testFailsTwiceThenSucceedsUnderInjectedFaults() async throws {
    let h = try await EmulatorHarness.start { config in
      config.faults = FaultSpec(throttle: 0.3, unavailable: 0.3)
      config.faultSeed = 11
    }
    do {
      for _ in 0..<10 {
        _ = try await h.alb.listListeners()
      }
      let metrics = await h.configuration.metrics.snapshot()["ListListeners"]
      XCTAssertEqual(metrics?.failures, 0)
      XCTAssertGreaterThanOrEqual(metrics?.retries ?? 0, 2)
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }

  func testRateLimiterKeepsBurstUnderEmulatorLimit() async throws {
    let h = try await EmulatorHarness.start { config in
      config.rateLimit = RateLimitOverride(count: 10, period: .seconds(1))
    }
    do {
      let cert = try await h.uploadCertificate("burst.example.com", serial: 1)
      let start = h.clock.now
      for _ in 0..<40 {
        let jobs = try await h.alb.associateAdditionalCertificates(
          listenerId: httpsListener, certificateIds: [cert.identifier], dryRun: true)
        XCTAssertEqual(jobs, [])
      }
      let elapsed = h.clock.now.timeIntervalSince(start)
      let totals = await h.configuration.metrics.totals()
      XCTAssertEqual(totals.failures, 0)
      XCTAssertLessThan(totals.throttled, 10, "adapted to the server's limit")
      XCTAssertGreaterThan(elapsed, 2.5)
      XCTAssertLessThan(elapsed, 6)
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }
}

/// Real-time concurrency: a concurrent burst against an emulator limit lower than the client's.
final class EmulatorConcurrentBurstTests: XCTestCase {
  func testConcurrentBurstSettlesNearServerLimitWithoutErrors() async throws {
    let server = try await EmulatorServer.start(
      EmulatorConfiguration(rateLimit: RateLimitOverride(count: 10, period: .seconds(1))))
    let transport = AsyncHTTPClientTransport()
    let configuration = ClientConfiguration(
      region: "cn-hangzhou", albEndpoint: server.endpoint, casEndpoint: server.endpoint, runtime: .system)
    let credentials = StaticCredentialProvider(AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret"))
    do {
      let alb = try ALBClient(configuration: configuration, credentials: credentials, transport: transport)
      let attribute = try await alb.getListenerAttribute(listenerId: "lsr-emulator-443")
      let defaultId = try XCTUnwrap(attribute.defaultCertificateId)
      let started = Date()
      // Dry-run updates of the default certificate pass every precheck and change nothing.
      try await withThrowingTaskGroup(of: String.self) { group in
        for _ in 0..<30 {
          group.addTask {
            try await alb.updateListenerDefaultCertificate(listenerId: "lsr-emulator-443", certificateId: defaultId, dryRun: true)
          }
        }
        for try await job in group { XCTAssertEqual(job, "") }
      }
      let elapsed = Date().timeIntervalSince(started)
      let totals = await configuration.metrics.totals()
      XCTAssertEqual(totals.failures, 0)
      // 10 at once, 20 more at just under 10/s: about 3 s once the client finds the server's rate.
      XCTAssertLessThan(elapsed, 5, "took \(elapsed) s, \(totals)")
    } catch {
      try? await transport.shutdown()
      await server.stop()
      throw error
    }
    try? await transport.shutdown()
    await server.stop()
  }
}

/// Other ways of signing that the emulator must accept from this library's signer.
final class EmulatorSigningTests: XCTestCase {
  func testSTSCredentialsAndV1SignedRequests() async throws {
    var seed = EmulatorSeed.default
    seed.accessKeys.append(.init(id: "STS.testid", secret: "sts-secret", securityToken: "sts-token"))
    let h = try await EmulatorHarness.startForClients(seed: seed)
    do {
      let sts = try ALBClient(
        configuration: h.configuration,
        credentials: StaticCredentialProvider(
          AccessCredentials(accessKeyId: "STS.testid", accessKeySecret: "sts-secret", securityToken: "sts-token")),
        transport: h.transport)
      let listeners = try await sts.listListeners()
      XCTAssertEqual(listeners.count, 3)

      // A V1 (HMAC-SHA1) request built with RPCSignature, parameters in the query.
      let params = RPCSignature.signedParameters(
        method: "POST", action: "GetListenerAttribute", version: "2020-06-16",
        parameters: [("ListenerId", "lsr-emulator-443")],
        credentials: AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret"), date: h.clock.now,
        nonce: "v1-nonce-1")
      let url = try XCTUnwrap(URL(string: h.server.endpoint.absoluteString + "/?" + AcsPercentEncoding.canonicalQuery(params)))
      let response = try await h.transport.send(HTTPRequestSpec(method: "POST", url: url))
      XCTAssertEqual(response.status, 200, String(decoding: response.body, as: UTF8.self))
      XCTAssertEqual(JSONValue.parse(response.body)?["ListenerStatus"]?.string, "Running")

      // The same request with a wrong secret is refused with SignatureDoesNotMatch.
      let bad = RPCSignature.signedParameters(
        method: "POST", action: "GetListenerAttribute", version: "2020-06-16",
        parameters: [("ListenerId", "lsr-emulator-443")],
        credentials: AccessCredentials(accessKeyId: "testid", accessKeySecret: "wrong"), date: h.clock.now,
        nonce: "v1-nonce-2")
      let badURL = try XCTUnwrap(URL(string: h.server.endpoint.absoluteString + "/?" + AcsPercentEncoding.canonicalQuery(bad)))
      let refused = try await h.transport.send(HTTPRequestSpec(method: "POST", url: badURL))
      XCTAssertEqual(JSONValue.parse(refused.body)?["Code"]?.string, "SignatureDoesNotMatch")
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }
}
