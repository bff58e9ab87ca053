import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

final class ALBClientTests: XCTestCase {
  func testRequestsAreSignedRPCPostsWithQueryParameters() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let transport = FakeTransport { _, _ in
      FakeTransport.json(["RequestId": "r1", "ListenerId": "lsr-1", "LoadBalancerId": "alb-1", "ListenerProtocol": "HTTPS",
                          "ListenerPort": 443, "ListenerStatus": "Running", "Certificates": [["CertificateId": "123-cn-hangzhou"]]])
    }
    let alb = try Fixtures.alb(transport, clock: clock)
    let attribute = try await alb.getListenerAttribute(listenerId: "lsr-1")
    XCTAssertEqual(attribute.defaultCertificateId, "123-cn-hangzhou")
    XCTAssertEqual(attribute.listener.port, 443)
    let request = try XCTUnwrap(transport.requests.first)
    XCTAssertEqual(request.method, "POST")
    XCTAssertEqual(request.url.path, "/")
    XCTAssertEqual(request.parameters["ListenerId"], "lsr-1")
    XCTAssertEqual(request.header("x-acs-action"), "GetListenerAttribute")
    XCTAssertEqual(request.header("x-acs-version"), "2020-06-16")
    XCTAssertEqual(request.header("host"), "127.0.0.1:9")
    XCTAssertEqual(request.header("x-acs-signature-nonce"), "nonce-1")
    // Verify the signature independently from the canonical request parts.
    let auth = try XCTUnwrap(ACS3Signature.parseAuthorization(try XCTUnwrap(request.header("authorization"))))
    XCTAssertEqual(auth.accessKeyId, "testid")
    XCTAssertEqual(auth.signedHeaders, ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"])
    let canonical = ACS3Signature.canonicalRequest(
      method: "POST", path: "/", query: request.parameters.map { ($0.key, $0.value) }, headers: request.headers,
      signedHeaders: auth.signedHeaders, hashedPayload: Hashing.sha256Hex(request.body))
    XCTAssertEqual(
      ACS3Signature.signature(stringToSign: ACS3Signature.stringToSign(canonicalRequest: canonical), secret: Fixtures.secret),
      auth.signature)
  }

  func testListListenersFollowsPagesAndChunksIds() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let lbIds = (1...25).map { "alb-\($0)" }
    let transport = FakeTransport { request, _ in
      let p = request.parameters
      XCTAssertEqual(p["ListenerProtocol"], "HTTPS")
      XCTAssertNil(p["LoadBalancerIds.21"])
      let chunkFirst = p["LoadBalancerIds.1"] ?? ""
      let page = p["NextToken"] == nil ? 1 : 2
      let listeners: [[String: Any]] = [[
        "ListenerId": "lsr-\(chunkFirst)-\(page)", "LoadBalancerId": chunkFirst, "ListenerProtocol": "HTTPS",
        "ListenerPort": "443", "ListenerStatus": "Running",
      ]]
      return FakeTransport.json(["RequestId": "r", "Listeners": listeners, "NextToken": page == 1 ? "t2" : "", "TotalCount": 2])
    }
    let alb = try Fixtures.alb(transport, clock: clock)
    let listeners = try await alb.listListeners(loadBalancerIds: lbIds, protocol: "HTTPS")
    XCTAssertEqual(listeners.map(\.id), ["lsr-alb-1-1", "lsr-alb-1-2", "lsr-alb-21-1", "lsr-alb-21-2"])
    XCTAssertEqual(listeners[0].port, 443)
    XCTAssertEqual(transport.requests.count, 4)
    XCTAssertEqual(transport.requests[2].parameters["LoadBalancerIds.5"], "alb-25")
  }

  func testListListenerCertificatesAcceptsBothDissociatingSpellingsAndStringBooleans() async throws {
    let transport = FakeTransport { request, index in
      if index == 0 {
        return FakeTransport.json([
          "RequestId": "r", "NextToken": "n",
          "Certificates": [
            ["CertificateId": "1-cn-hangzhou", "CertificateType": "Server", "IsDefault": "True", "Status": "Associated"],
            ["CertificateId": "2-cn-hangzhou", "CertificateType": "Server", "IsDefault": false, "Status": "Diassociating"],
          ],
        ])
      }
      XCTAssertEqual(request.parameters["NextToken"], "n")
      return FakeTransport.json([
        "RequestId": "r", "NextToken": "",
        "Certificates": [["CertificateId": "3-cn-shanghai", "CertificateType": "Server", "IsDefault": "false", "Status": "Dissociating"]],
      ])
    }
    let alb = try Fixtures.alb(transport, clock: TestClock(Fixtures.clientStart))
    let certs = try await alb.listListenerCertificates(listenerId: "lsr-1")
    XCTAssertEqual(certs.map(\.certificateId), ["1-cn-hangzhou", "2-cn-hangzhou", "3-cn-shanghai"])
    XCTAssertEqual(certs.map(\.isDefault), [true, false, false])
    XCTAssertEqual(certs.map(\.status), [.associated, .dissociating, .dissociating])
    XCTAssertEqual(transport.requests.first?.parameters["CertificateType"], "Server")
  }

  func testAssociateSplitsIntoChunksOfFifteenWithDerivedTokens() async throws {
    let transport = FakeTransport { request, index in
      FakeTransport.json(["RequestId": "r\(index)", "JobId": "job-\(index)"])
    }
    let alb = try Fixtures.alb(transport, clock: TestClock(Fixtures.clientStart))
    let ids = (1...32).map { "\($0)-cn-hangzhou" }
    let jobs = try await alb.associateAdditionalCertificates(listenerId: "lsr-1", certificateIds: ids, clientToken: "tok")
    XCTAssertEqual(jobs, ["job-0", "job-1", "job-2"])
    let params = transport.requests.map(\.parameters)
    XCTAssertEqual(params.map { $0.keys.filter { $0.hasPrefix("Certificates.") }.count }, [15, 15, 2])
    XCTAssertEqual(params[1]["Certificates.1.CertificateId"], "16-cn-hangzhou")
    XCTAssertEqual(params[2]["Certificates.2.CertificateId"], "32-cn-hangzhou")
    let tokens = params.compactMap { $0["ClientToken"] }
    XCTAssertEqual(Set(tokens).count, 3)
    XCTAssertTrue(tokens.allSatisfy { $0.count <= 64 && $0.hasPrefix("tok-") })
    XCTAssertEqual(tokens, (0..<3).map { ALBClient.chunkToken("tok", index: $0, count: 3) })
    XCTAssertEqual(ALBClient.chunkToken("tok", index: 0, count: 1), "tok")
    XCTAssertLessThanOrEqual(ALBClient.chunkToken(String(repeating: "x", count: 64), index: 9, count: 10).count, 64)
    XCTAssertTrue(transport.requests.allSatisfy { $0.action == "AssociateAdditionalCertificatesWithListener" })
  }

  func testDryRunOperationIsSuccess() async throws {
    let transport = FakeTransport { request, _ in
      XCTAssertEqual(request.parameters["DryRun"], "true")
      return FakeTransport.error(400, code: "DryRunOperation", message: "Request validation has been passed with DryRun flag set.")
    }
    let alb = try Fixtures.alb(transport, clock: TestClock(Fixtures.clientStart))
    let jobs = try await alb.dissociateAdditionalCertificates(listenerId: "lsr-1", certificateIds: ["1-cn-hangzhou"], dryRun: true)
    XCTAssertEqual(jobs, [])
    let job = try await alb.updateListenerDefaultCertificate(listenerId: "lsr-1", certificateId: "9-cn-hangzhou", dryRun: true)
    XCTAssertEqual(job, "")
    XCTAssertEqual(transport.requests.count, 2)
    XCTAssertEqual(transport.requests[1].parameters["Certificates.1.CertificateId"], "9-cn-hangzhou")
  }

  func testApiErrorCarriesAllFields() async throws {
    let transport = FakeTransport { _, _ in
      FakeTransport.error(400, code: "ResourceQuotaExceeded.LoadBalancerCertificatesNum", message: "The quota of certs is exceeded for resource alb-1, usage 25/25.")
    }
    let alb = try Fixtures.alb(transport, clock: TestClock(Fixtures.clientStart))
    do {
      _ = try await alb.associateAdditionalCertificates(listenerId: "lsr-1", certificateIds: ["1-cn-hangzhou"])
      XCTFail("expected an error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .api)
      XCTAssertEqual(error.apiCode, "ResourceQuotaExceeded.LoadBalancerCertificatesNum")
      XCTAssertEqual(error.httpStatus, 400)
      XCTAssertEqual(error.requestId, "req-ResourceQuotaExceeded.LoadBalancerCertificatesNum")
      XCTAssertEqual(error.hostId, "alb.cn-hangzhou.aliyuncs.com")
      XCTAssertNotNil(error.recommend)
      XCTAssertFalse(error.isRetryable)
      XCTAssertTrue(error.description.contains("usage 25/25"), error.description)
      XCTAssertTrue(error.description.contains("AssociateAdditionalCertificatesWithListener"), error.description)
    }
    XCTAssertEqual(transport.requests.count, 1, "non-retryable errors are not retried")
  }

  func testWaitForJobSucceedsAndSurfacesFailure() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let transport = FakeTransport { request, index in
      let id = request.parameters["JobIds.1"] ?? ""
      let status: String
      if id == "job-ok" {
        status = index < 2 ? "Processing" : "Succeeded"
      } else {
        status = "Failed"
      }
      return FakeTransport.json([
        "RequestId": "r", "NextToken": "",
        "Jobs": [["Id": id, "ApiName": "AssociateAdditionalCertificatesWithListener", "Status": status,
                  "ErrorCode": status == "Failed" ? "ResourceNotFound.Certificate" : "",
                  "ErrorMessage": status == "Failed" ? "The specified resource 9-cn-hangzhou is not found." : "",
                  "ResourceId": "lsr-1", "CreateTime": 1_700_000_000_000]],
      ])
    }
    let alb = try Fixtures.alb(transport, clock: clock)
    let job = try await alb.waitForJob(jobId: "job-ok", timeout: .seconds(60), pollInterval: .seconds(2))
    XCTAssertEqual(job.status, .succeeded)
    XCTAssertEqual(job.createTime, 1_700_000_000_000)
    XCTAssertEqual(clock.recordedSleeps, [.seconds(2), .seconds(2)])
    do {
      try await alb.waitForJob(jobId: "job-bad", timeout: .seconds(60), pollInterval: .seconds(1))
      XCTFail("expected failure")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .jobFailed)
      XCTAssertEqual(error.code, "ResourceNotFound.Certificate")
      XCTAssertTrue(error.message.contains("9-cn-hangzhou is not found"))
    }
  }

  func testWaitForListenerRunningTimesOut() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let transport = FakeTransport { _, _ in
      FakeTransport.json(["RequestId": "r", "ListenerId": "lsr-1", "ListenerStatus": "Configuring"])
    }
    let alb = try Fixtures.alb(transport, clock: clock)
    do {
      try await alb.waitForListenerRunning(listenerId: "lsr-1", timeout: .seconds(10), pollInterval: .seconds(3))
      XCTFail("expected timeout")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .timeout)
      XCTAssertTrue(error.message.contains("Configuring"))
    }
    XCTAssertEqual(transport.requests.count, 5)
  }

  func testEndpointsFromRegionAndPlainHTTPOnlyForLoopback() throws {
    let clock = TestClock(Fixtures.clientStart)
    var config = ClientConfiguration(region: "cn-zhangjiakou", runtime: clock.runtime())
    XCTAssertEqual(try config.resolvedALBEndpoint().absoluteString, "https://alb.cn-zhangjiakou.aliyuncs.com")
    XCTAssertEqual(try config.resolvedCASEndpoint().absoluteString, "https://cas.aliyuncs.com")
    config.region = "ap-southeast-1"
    XCTAssertEqual(try config.resolvedCASEndpoint().absoluteString, "https://cas.ap-southeast-1.aliyuncs.com")
    for ok in ["http://127.0.0.1:8080", "http://127.9.9.9", "http://localhost:1", "http://[::1]:80", "https://example.com"] {
      XCTAssertNoThrow(try EndpointPolicy.validate(try XCTUnwrap(URL(string: ok))), ok)
    }
    for bad in ["http://10.0.0.1", "http://example.com", "ftp://127.0.0.1", "http://128.0.0.1"] {
      XCTAssertThrowsError(try EndpointPolicy.validate(try XCTUnwrap(URL(string: bad))), bad) { error in
        XCTAssertEqual((error as? AlibabaCloudError)?.kind, .configuration)
      }
    }
    config.albEndpoint = URL(string: "http://alb.example.com")
    XCTAssertThrowsError(try config.resolvedALBEndpoint())
    config.region = "bad region!"
    XCTAssertThrowsError(try config.resolvedCASEndpoint())
  }
}
