import AlibabaCloud
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// STS `GetCallerIdentity` (2015-04-01): the wire shape, one attempt only, and the emulator's answer.
final class STSClientTests: XCTestCase {
  func testGetCallerIdentitySendsVersion20150401AndParsesTheAccount() async throws {
    let transport = FakeTransport { _, _ in
      FakeTransport.json([
        "RequestId": "r", "AccountId": "1234567890123456", "Arn": "acs:ram::1234567890123456:user/alice",
        "IdentityType": "RAMUser", "PrincipalId": "2000", "UserId": "2000",
      ])
    }
    let clock = TestClock(Fixtures.clientStart)
    let sts = try STSClient(
      endpoint: try XCTUnwrap(URL(string: "http://127.0.0.1:9")), configuration: Fixtures.configuration(clock: clock),
      credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport)
    let identity = try await sts.getCallerIdentity()
    XCTAssertEqual(identity.accountId, "1234567890123456")
    XCTAssertEqual(identity.identityType, "RAMUser")
    XCTAssertEqual(identity.arn, "acs:ram::1234567890123456:user/alice")
    let request = try XCTUnwrap(transport.requests.first)
    XCTAssertEqual(request.header("x-acs-action"), "GetCallerIdentity")
    XCTAssertEqual(request.header("x-acs-version"), "2015-04-01")
    XCTAssertTrue(request.header("authorization")?.hasPrefix("ACS3-HMAC-SHA256") ?? false)
  }

  func testADeniedOrFailingCallIsNotRetried() async throws {
    let transport = FakeTransport { _, _ in FakeTransport.error(503, code: "ServiceUnavailable") }
    let sts = try STSClient(
      endpoint: try XCTUnwrap(URL(string: "http://127.0.0.1:9")), configuration: Fixtures.configuration(clock: TestClock(Fixtures.clientStart)),
      credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport)
    do {
      _ = try await sts.getCallerIdentity()
      XCTFail("answered")
    } catch {}
    XCTAssertEqual(transport.requests.count, 1, "one attempt: the account only sharpens a cache key")
  }

  func testDefaultEndpoints() throws {
    XCTAssertEqual(try STSClient.defaultEndpoint(region: nil).absoluteString, "https://sts.aliyuncs.com")
    XCTAssertEqual(
      try STSClient.defaultEndpoint(region: "cn-shanghai").absoluteString, "https://sts.cn-shanghai.aliyuncs.com")
    XCTAssertThrowsError(try STSClient.defaultEndpoint(region: "evil.example/"))
  }

  func testTheEmulatorAnswersWithTheSeedsAccountOrTheDefault() async throws {
    var seed = EmulatorSeed.default
    seed.accessKeys = [
      .init(id: "testid", secret: "testsecret"),
      .init(id: "otherid", secret: "othersecret", accountId: "9999000011112222"),
    ]
    let h = try await EmulatorHarness.startForClients(seed: seed)
    do {
      let sts = try STSClient(
        endpoint: h.server.endpoint, configuration: h.configuration,
        credentials: StaticCredentialProvider(AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret")),
        transport: h.transport)
      let identity = try await sts.getCallerIdentity()
      XCTAssertEqual(identity.accountId, EmulatorSeed.defaultAccountId)
      XCTAssertEqual(identity.identityType, "RAMUser")
      XCTAssertEqual(identity.arn, "acs:ram::\(EmulatorSeed.defaultAccountId):user/testid")
      XCTAssertNotNil(identity.principalId)
      XCTAssertNotNil(identity.userId)
      let other = try STSClient(
        endpoint: h.server.endpoint, configuration: h.configuration,
        credentials: StaticCredentialProvider(AccessCredentials(accessKeyId: "otherid", accessKeySecret: "othersecret")),
        transport: h.transport)
      let otherIdentity = try await other.getCallerIdentity()
      XCTAssertEqual(otherIdentity.accountId, "9999000011112222")
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }

  func testUploadsCarryCerthooksTag() async throws {
    let transport = FakeTransport { _, _ in FakeTransport.json(["RequestId": "r", "CertId": 5]) }
    let cas = try Fixtures.cas(transport, clock: TestClock(Fixtures.clientStart))
    _ = try await cas.uploadUserCertificate(
      name: "certhook-x", certificatePEM: "c", keyPEM: "k", clientToken: "t", tags: [CASClient.managedTag])
    let request = try XCTUnwrap(transport.requests.first)
    XCTAssertEqual(request.parameters["Tags.1.Key"], "managed-by")
    XCTAssertEqual(request.parameters["Tags.1.Value"], "certhook")
  }
}
