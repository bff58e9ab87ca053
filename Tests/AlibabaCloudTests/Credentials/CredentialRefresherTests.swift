import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

/// `CredentialRefresher` on its own: refresh time (margin and jitter), retries of a failing fetch, and the report
/// that names the provider.
final class CredentialRefresherTests: XCTestCase {
  private static func creds(_ id: String, expires: Date?) -> AccessCredentials {
    AccessCredentials(accessKeyId: id, accessKeySecret: "secret-DO-NOT-LEAK", securityToken: "tok", expiration: expires)
  }

  func testTheRefreshTimeIsAQuarterOfTheLifetimeAtMost15MinutesPlusJitter() {
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    // 3600 s: margin 900 s, jitter up to 60 s (random 0.5 -> 30 s).
    XCTAssertEqual(
      CredentialRefresher.refreshTime(fetchedAt: start, expiration: start + 3600, random: 0.5), start + 3600 - 930)
    // 120 s: margin 30 s, jitter up to 6 s (random 1.0 -> 6 s).
    XCTAssertEqual(CredentialRefresher.refreshTime(fetchedAt: start, expiration: start + 120, random: 1), start + 84)
    XCTAssertEqual(CredentialRefresher.refreshTime(fetchedAt: start, expiration: start + 120, random: 0), start + 90)
  }

  func testAFailingFetchIsRetriedWithBackoffThenSucceeds() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let calls = Counter()
    let refresher = CredentialRefresher(providerName: "ram-role-arn", subject: "acs:ram::1:role/r", runtime: clock.runtime()) {
      calls.increment()
      if calls.value < 3 { throw AlibabaCloudError(kind: .api, action: "AssumeRole", httpStatus: 503, code: "ServiceUnavailable", message: "busy") }
      return Self.creds("STS.ok", expires: clock.now + 3600)
    }
    let got = try await refresher.credentials()
    XCTAssertEqual(got.accessKeyId, "STS.ok")
    XCTAssertEqual(clock.recordedSleeps, [.seconds(1), .seconds(2)])
    _ = try await refresher.credentials()
    XCTAssertEqual(calls.value, 3, "fresh credentials are served from the cache")
  }

  func testAPersistentFailureIsReportedWithTheProviderNameAfterItsAttempts() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let calls = Counter()
    let refresher = CredentialRefresher(providerName: "oidc-role-arn", subject: "acs:ram::1:role/r", runtime: clock.runtime()) {
      calls.increment()
      throw AlibabaCloudError.transport("POST https://sts.aliyuncs.com failed: connection reset")
    }
    do {
      _ = try await refresher.credentials()
      XCTFail("expected a failure")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .credentials)
      XCTAssertEqual(error.code, CredentialRefresher.failureCode)
      XCTAssertEqual(
        error.message,
        "oidc-role-arn (acs:ram::1:role/r): cannot get credentials after 3 attempts: POST https://sts.aliyuncs.com failed: connection reset")
    }
    XCTAssertEqual(calls.value, 3)
  }

  func testCredentialsWithoutExpiryAreFetchedOnce() async throws {
    let calls = Counter()
    let refresher = CredentialRefresher(providerName: "p", subject: "s", runtime: TestClock(Fixtures.clientStart).runtime()) {
      calls.increment()
      return Self.creds("LTAI", expires: nil)
    }
    for _ in 0..<3 { _ = try await refresher.credentials() }
    XCTAssertEqual(calls.value, 1)
  }
}

/// The INI file's default location: `credentials.ini` (the Python SDK's) first, then `credentials`.
final class INIFileLocationTests: XCTestCase {
  func testCredentialsIniIsReadBeforeCredentials() async throws {
    let files: [String: String] = [
      "/h/.alibabacloud/credentials.ini": "[default]\naccess_key_id = from-ini\naccess_key_secret = s1\n",
      "/h/.alibabacloud/credentials": "[default]\naccess_key_id = from-plain\naccess_key_secret = s2\n",
    ]
    func provider(_ files: [String: String]) -> INIFileCredentialProvider {
      INIFileCredentialProvider(
        homeDirectory: "/h", file: nil, section: nil, readFile: { files[$0].map { Array($0.utf8) } },
        metadata: { _ in StaticCredentialProvider(nil) })
    }
    let both = try await provider(files).credentials()
    XCTAssertEqual(both?.accessKeyId, "from-ini")
    let plainOnly = try await provider(files.filter { !$0.key.hasSuffix(".ini") }).credentials()
    XCTAssertEqual(plainOnly?.accessKeyId, "from-plain")
    XCTAssertEqual(provider([:]).lookupDescription, "/h/.alibabacloud/credentials.ini or /h/.alibabacloud/credentials")
  }
}

/// The STS endpoint rule of role modes, as the official credentials SDK has it.
final class STSEndpointRuleTests: XCTestCase {
  private func access(_ environment: [String: String], override: URL? = nil) -> STSAccess {
    STSAccess(
      override: override,
      configuration: ClientConfiguration(region: "cn-hangzhou", runtime: TestClock(Fixtures.clientStart).runtime()),
      transport: FakeTransport { _, _ in FakeTransport.json([:]) }, environment: SessionEnvironment(environment))
  }

  func testOverrideThenProfileRegionThenEnvironmentThenGlobal() throws {
    XCTAssertEqual(try access([:]).endpoint().absoluteString, "https://sts.aliyuncs.com")
    XCTAssertEqual(try access([:]).endpoint(stsRegion: "cn-beijing").absoluteString, "https://sts.cn-beijing.aliyuncs.com")
    XCTAssertEqual(
      try access([:]).endpoint(stsRegion: "cn-beijing", enableVPC: true).absoluteString,
      "https://sts-vpc.cn-beijing.aliyuncs.com")
    let env = access(["ALIBABA_CLOUD_STS_REGION": "ap-southeast-1", "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED": "true"])
    XCTAssertEqual(try env.endpoint().absoluteString, "https://sts-vpc.ap-southeast-1.aliyuncs.com")
    XCTAssertEqual(try env.endpoint(stsRegion: "cn-shanghai", enableVPC: false).absoluteString, "https://sts.cn-shanghai.aliyuncs.com")
    let emulator = try XCTUnwrap(URL(string: "http://127.0.0.1:8080"))
    XCTAssertEqual(try access([:], override: emulator).endpoint(stsRegion: "cn-beijing"), emulator)
    XCTAssertThrowsError(try access([:]).endpoint(stsRegion: "cn beijing/evil"))
  }
}
