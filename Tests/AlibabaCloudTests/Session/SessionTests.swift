@testable import AlibabaCloud
import Foundation
import Logging
import XCTest
import CertHookTestSupport

/// `CloudSession`: one place decides region, endpoints and credentials from what it is handed (environment,
/// home directory, clock, transport); explicitly named sources win over ambient ones.
final class SessionTests: XCTestCase {
  private var home = ""

  override func setUpWithError() throws {
    home = NSTemporaryDirectory() + "session-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: home + "/.aliyun", withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: home)
  }

  private func writeProfiles(_ json: String) throws {
    try Data(json.utf8).write(to: URL(fileURLWithPath: home + "/.aliyun/config.json"))
  }

  private func open(
    _ request: SessionRequest, environment: [String: String], transport: FakeTransport = FakeTransport { _, _ in
      FakeTransport.json(["RequestId": "r", "Listeners": []])
    }
  ) async throws -> CloudSession {
    try await CloudSession.open(
      request, environment: SessionEnvironment(environment), homeDirectory: home, runtime: TestClock(Fixtures.clientStart).runtime(),
      transport: transport, metadataTransport: nil, logger: Logger(label: "test"))
  }

  private let ambient = [
    "ALIBABA_CLOUD_ACCESS_KEY_ID": "ambient-id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "ambient-secret",
    "CERTHOOK_ALB_ENDPOINT": "http://127.0.0.1:9", "CERTHOOK_CAS_ENDPOINT": "http://127.0.0.1:9",
  ]

  /// Issue 11 item 11: `--profile X` / `credentials.profile` were ignored when ALIBABA_CLOUD_ACCESS_KEY_* were set.
  func testNamedProfileWinsOverAmbientEnvironmentKeys() async throws {
    try writeProfiles(
      #"{"current": "default", "profiles": [{"name": "work", "mode": "AK", "access_key_id": "work-id", "access_key_secret": "work-secret"}]}"#)
    let transport = FakeTransport { _, _ in FakeTransport.json(["RequestId": "r", "Listeners": []]) }
    let session = try await open(
      SessionRequest(credentials: .profile("work", origin: "--profile")), environment: ambient, transport: transport)
    XCTAssertEqual(session.credentialProvider, "aliyun-cli-profile")
    _ = try await session.alb.listListeners()
    let auth = try XCTUnwrap(transport.requests.first?.header("authorization"))
    XCTAssertEqual(ACS3Signature.parseAuthorization(auth)?.accessKeyId, "work-id")
    // Without a named profile the ambient keys are used, as before.
    let standard = try await open(SessionRequest(), environment: ambient)
    XCTAssertEqual(standard.credentialProvider, "environment")
  }

  func testNamedProfileThatDoesNotExistIsAnErrorNotAFallback() async throws {
    try writeProfiles(#"{"profiles": [{"name": "default", "mode": "AK", "access_key_id": "a", "access_key_secret": "b"}]}"#)
    do {
      _ = try await open(SessionRequest(credentials: .profile("nope", origin: "credentials.profile")), environment: ambient)
      XCTFail("a missing named profile must be an error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .credentials)
      XCTAssertTrue(error.message.contains("profile nope (named by credentials.profile) was not found"), error.message)
      XCTAssertFalse(error.message.contains("ambient-secret"))
    }
  }

  /// The environment is read by one piece of code: `credentials: environment` accepts the ALICLOUD_* names and
  /// trims whitespace like the chain (the CLI's second reader did neither).
  func testEnvironmentSelectionReadsBothSpellingsTrimmed() async throws {
    let environment = [
      "ALICLOUD_ACCESS_KEY": " ali-id\n", "ALICLOUD_SECRET_KEY": "ali-secret ",
      "CERTHOOK_ALB_ENDPOINT": "http://127.0.0.1:9", "CERTHOOK_CAS_ENDPOINT": "http://127.0.0.1:9",
    ]
    let session = try await open(SessionRequest(credentials: .environment(origin: "credentials.environment")), environment: environment)
    let credentials = try await session.credentials.credentials()
    XCTAssertEqual(credentials?.accessKeyId, "ali-id")
    XCTAssertEqual(credentials?.accessKeySecret, "ali-secret")
    do {
      _ = try await open(
        SessionRequest(credentials: .environment(origin: "credentials.environment")),
        environment: ["CERTHOOK_ALB_ENDPOINT": "http://127.0.0.1:9", "CERTHOOK_CAS_ENDPOINT": "http://127.0.0.1:9"])
      XCTFail("expected a credentials error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .credentials)
      XCTAssertTrue(error.message.contains("credentials.environment"), error.message)
    }
  }

  func testRegionAndEndpointPrecedence() async throws {
    let env = SessionEnvironment(["CERTHOOK_ALB_ENDPOINT": "http://127.0.0.1:2", "ALIBABA_CLOUD_REGION_ID": " cn-shanghai "])
    var request = SessionRequest(configuration: .init(region: "cn-beijing", endpoints: ["alb": "http://127.0.0.1:3", "cas": "http://127.0.0.1:4"]))
    XCTAssertEqual(try request.endpointOverride(.alb, environment: env)?.absoluteString, "http://127.0.0.1:2", "variable beats file")
    XCTAssertEqual(try request.endpointOverride(.cas, environment: env)?.absoluteString, "http://127.0.0.1:4")
    XCTAssertEqual(try request.region(environment: env, profileRegion: "cn-qingdao", everyEndpointOverridden: false), "cn-beijing")
    request.commandLine = .init(region: "cn-hongkong", endpoints: ["alb": "http://127.0.0.1:1"])
    XCTAssertEqual(try request.endpointOverride(.alb, environment: env)?.absoluteString, "http://127.0.0.1:1", "flag beats all")
    XCTAssertEqual(try request.region(environment: env, profileRegion: nil, everyEndpointOverridden: false), "cn-hongkong")
    XCTAssertEqual(try SessionRequest().region(environment: env, profileRegion: nil, everyEndpointOverridden: false), "cn-shanghai")
    XCTAssertEqual(
      try SessionRequest().region(environment: SessionEnvironment([:]), profileRegion: "cn-qingdao", everyEndpointOverridden: false),
      "cn-qingdao")
    XCTAssertEqual(
      try SessionRequest().region(environment: SessionEnvironment([:]), profileRegion: nil, everyEndpointOverridden: true),
      "cn-hangzhou")
    XCTAssertEqual(try CloudProduct.cas.defaultEndpoint(region: "eu-central-1").host, "cas.ap-southeast-1.aliyuncs.com")
    XCTAssertEqual(try CloudProduct.alb.defaultEndpoint(region: "cn-hangzhou").host, "alb.cn-hangzhou.aliyuncs.com")
  }

  /// Issue 10 part 4 and issue 11 item 9: a missing region, a non-loopback http endpoint and a port above 65535
  /// are configuration errors (exit 64 in the CLI), never a trap.
  func testBadRegionAndEndpointsAreConfigurationErrors() async throws {
    let keys = ["ALIBABA_CLOUD_ACCESS_KEY_ID": "a", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "b"]
    let cases: [(SessionRequest, [String: String], String)] = [
      (SessionRequest(), keys, "no region"),
      (SessionRequest(commandLine: .init(region: "cn-hangzhou", endpoints: ["alb": "http://192.0.2.1"])), keys, "--alb-endpoint"),
      (SessionRequest(configuration: .init(region: "cn-hangzhou", endpoints: ["cas": "http://127.0.0.1:70000"])), keys, "endpoints.cas"),
      (SessionRequest(), keys.merging(["CERTHOOK_ALB_ENDPOINT": "http://127.0.0.1:99999", "ALIBABA_CLOUD_REGION_ID": "cn-hangzhou"]) { $1 }, "CERTHOOK_ALB_ENDPOINT"),
      (SessionRequest(commandLine: .init(region: "cn hangzhou")), keys, "not a valid region"),
    ]
    for (request, environment, expected) in cases {
      do {
        _ = try await open(request, environment: environment)
        XCTFail("expected a configuration error for \(expected)")
      } catch let error as AlibabaCloudError {
        XCTAssertEqual(error.kind, .configuration, "\(error)")
        XCTAssertTrue(error.message.contains(expected), "\(expected): \(error.message)")
      }
    }
  }
}
