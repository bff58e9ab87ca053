import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

final class CredentialChainTests: XCTestCase {
  private let home = "/home/tester"

  private func reader(_ files: [String: String]) -> FileReader {
    { path in files[path].map { Array($0.utf8) } }
  }

  private func chain(
    explicit: AccessCredentials? = nil, env: [String: String] = [:], files: [String: String] = [:],
    metadata: (@Sendable (String?) -> any CredentialProvider)? = nil
  ) -> CredentialChain {
    CredentialChain.standard(
      explicit: explicit, environment: env, homeDirectory: home, readFile: reader(files), metadata: metadata)
  }

  private let configJSON = """
    {"current": "work", "profiles": [
      {"name": "default", "mode": "AK", "access_key_id": "cli-default", "access_key_secret": "s1", "region_id": "cn-beijing"},
      {"name": "work", "mode": "StsToken", "access_key_id": "cli-work", "access_key_secret": "s2", "sts_token": "tok2"},
      {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "certhook-role"},
      {"name": "arn", "mode": "RamRoleArn", "access_key_id": "x", "access_key_secret": "y"}
    ]}
    """

  private let ini = """
    # comment
    [default]
    type = access_key
    access_key_id = ini-default
    access_key_secret = "ini-secret"

    [other]
    type = ecs_ram_role
    role_name = ini-role
    """

  func testOrderExplicitThenEnvironmentThenProfileThenINIThenMetadata() async throws {
    let env = ["ALIBABA_CLOUD_ACCESS_KEY_ID": "env-id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret"]
    let files = ["\(home)/.aliyun/config.json": configJSON, "\(home)/.alibabacloud/credentials": ini]
    let metadata: @Sendable (String?) -> any CredentialProvider = { _ in
      StaticCredentialProvider(AccessCredentials(accessKeyId: "meta", accessKeySecret: "m"), name: "ecs-ram-role")
    }
    var r = try await chain(explicit: AccessCredentials(accessKeyId: "exp", accessKeySecret: "e"), env: env, files: files, metadata: metadata).resolve()
    XCTAssertEqual([r.provider, r.credentials.accessKeyId], ["explicit", "exp"])
    r = try await chain(env: env, files: files, metadata: metadata).resolve()
    XCTAssertEqual([r.provider, r.credentials.accessKeyId], ["environment", "env-id"])
    r = try await chain(files: files, metadata: metadata).resolve()
    XCTAssertEqual([r.provider, r.credentials.accessKeyId], ["aliyun-cli-profile", "cli-work"])
    XCTAssertEqual(r.credentials.securityToken, "tok2")
    r = try await chain(files: ["\(home)/.alibabacloud/credentials": ini], metadata: metadata).resolve()
    XCTAssertEqual([r.provider, r.credentials.accessKeyId, r.credentials.accessKeySecret], ["credentials-file", "ini-default", "ini-secret"])
    r = try await chain(metadata: metadata).resolve()
    XCTAssertEqual([r.provider, r.credentials.accessKeyId], ["ecs-ram-role", "meta"])
  }

  func testEnvironmentVariants() async throws {
    let aliyun = try await EnvironmentCredentialProvider(environment: [
      "ALICLOUD_ACCESS_KEY": "a", "ALICLOUD_SECRET_KEY": "b", "ALICLOUD_SECURITY_TOKEN": "c",
    ]).credentials()
    XCTAssertEqual(aliyun, AccessCredentials(accessKeyId: "a", accessKeySecret: "b", securityToken: "c"))
    let sts = try await EnvironmentCredentialProvider(environment: [
      "ALIBABA_CLOUD_ACCESS_KEY_ID": "a", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "b", "ALIBABA_CLOUD_SECURITY_TOKEN": "t",
    ]).credentials()
    XCTAssertEqual(sts?.securityToken, "t")
    do {
      _ = try await EnvironmentCredentialProvider(environment: ["ALIBABA_CLOUD_ACCESS_KEY_ID": "a"]).credentials()
      XCTFail("half-set variables must fail")
    } catch let error as AlibabaCloudError {
      XCTAssertTrue(error.message.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"))
    }
    let none = try await EnvironmentCredentialProvider(environment: [:]).credentials()
    XCTAssertNil(none)
  }

  func testProfileSelectionAndModes() async throws {
    let files = ["\(home)/.aliyun/config.json": configJSON]
    let metadata: @Sendable (String) -> any CredentialProvider = { role in
      StaticCredentialProvider(AccessCredentials(accessKeyId: "role-\(role)", accessKeySecret: "m", securityToken: "t"))
    }
    func provider(_ profile: String?) -> CLIProfileCredentialProvider {
      CLIProfileCredentialProvider(
        homeDirectory: home, environment: profile.map { ["ALIBABA_CLOUD_PROFILE": $0] } ?? [:], readFile: reader(files),
        metadata: metadata)
    }
    let defaultProfile = try await provider("default").credentials()
    XCTAssertEqual(defaultProfile?.accessKeyId, "cli-default")
    XCTAssertNil(defaultProfile?.securityToken)
    XCTAssertEqual(try provider("default").profileRegion(), "cn-beijing")
    let ecs = try await provider("ecs").credentials()
    XCTAssertEqual(ecs?.accessKeyId, "role-certhook-role")
    for bad in ["arn", "missing"] {
      do {
        _ = try await provider(bad).credentials()
        XCTFail("expected failure for \(bad)")
      } catch let error as AlibabaCloudError {
        XCTAssertEqual(error.kind, .credentials)
        XCTAssertTrue(error.message.contains(".aliyun/config.json"), error.message)
      }
    }
  }

  func testINIFileOverrideSectionAndRole() async throws {
    let files = ["/etc/custom-creds": ini]
    let metadata: @Sendable (String) -> any CredentialProvider = { role in
      StaticCredentialProvider(AccessCredentials(accessKeyId: "role-\(role)", accessKeySecret: "m"))
    }
    let p = INIFileCredentialProvider(
      homeDirectory: home, environment: ["ALIBABA_CLOUD_CREDENTIALS_FILE": "/etc/custom-creds", "ALIBABA_CLOUD_PROFILE": "other"],
      readFile: reader(files), metadata: metadata)
    let creds = try await p.credentials()
    XCTAssertEqual(creds?.accessKeyId, "role-ini-role")
    let missing = INIFileCredentialProvider(
      homeDirectory: home, environment: ["ALIBABA_CLOUD_CREDENTIALS_FILE": "/nope"], readFile: reader([:]), metadata: metadata)
    do {
      _ = try await missing.credentials()
      XCTFail("an explicitly named missing file must fail")
    } catch let error as AlibabaCloudError {
      XCTAssertTrue(error.message.contains("/nope"))
    }
  }

  func testNothingFoundListsWhatWasTriedWithoutSecrets() async throws {
    let files = ["\(home)/.aliyun/config.json": "{not json"]
    do {
      _ = try await chain(env: ["ALICLOUD_SECRET_KEY": Fixtures.secret], files: files).resolve()
      XCTFail("expected failure")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .credentials)
      for name in ["explicit", "environment", "aliyun-cli-profile", "credentials-file"] {
        XCTAssertTrue(error.message.contains(name), error.message)
      }
      XCTAssertFalse(error.description.contains(Fixtures.secret))
    }
  }

  func testECSMetadataFlowCachesAndRefreshesBeforeExpiration() async throws {
    let clock = TestClock(Date(timeIntervalSince1970: 1_790_000_000))
    let transport = FakeTransport { request, index in
      switch (request.method, request.url.path(percentEncoded: true)) {
      case ("PUT", "/latest/api/token"):
        XCTAssertEqual(request.header("X-aliyun-ecs-metadata-token-ttl-seconds"), "21600")
        return HTTPResponseSpec(status: 200, body: Array("meta-token".utf8))
      case ("GET", "/latest/meta-data/ram/security-credentials/"):
        XCTAssertEqual(request.header("X-aliyun-ecs-metadata-token"), "meta-token")
        return HTTPResponseSpec(status: 200, body: Array("certhook-role\n".utf8))
      case ("GET", "/latest/meta-data/ram/security-credentials/certhook-role"):
        XCTAssertEqual(request.header("X-aliyun-ecs-metadata-token"), "meta-token")
        return FakeTransport.json([
          "Code": "Success", "AccessKeyId": "STS.id\(index)", "AccessKeySecret": "sec", "SecurityToken": "tok",
          "Expiration": "2026-09-21T15:00:00Z", "LastUpdated": "2026-09-21T09:00:00Z",
        ])
      default:
        return HTTPResponseSpec(status: 404)
      }
    }
    let provider = ECSMetadataCredentialProvider(
      baseURL: try XCTUnwrap(URL(string: "http://127.0.0.1:1")), transport: transport, now: { clock.now })
    let first = try await provider.credentials()
    XCTAssertEqual(first?.accessKeyId, "STS.id2")
    XCTAssertEqual(first?.securityToken, "tok")
    XCTAssertEqual(first?.expiration, AcsTimestamp.parse("2026-09-21T15:00:00Z"))
    let cached = try await provider.credentials()
    XCTAssertEqual(cached?.accessKeyId, "STS.id2")
    XCTAssertEqual(transport.requests.count, 3)
    // 2026-09-21T15:00:00Z is 1_790_002_800; within 5 minutes of it, refresh.
    clock.advance(.seconds(2_800 - 200))
    let refreshed = try await provider.credentials()
    XCTAssertEqual(refreshed?.accessKeyId, "STS.id5")
    XCTAssertEqual(transport.requests.count, 6)
  }

  func testECSMetadataUnreachableIsAbsent() async throws {
    let transport = FakeTransport { _, _ in throw AlibabaCloudError.transport("connect timeout") }
    let provider = ECSMetadataCredentialProvider(transport: transport, now: { Date(timeIntervalSince1970: 0) })
    let none = try await provider.credentials()
    XCTAssertNil(none)
    // Something that is not the metadata service answers (a proxy): also "not on ECS".
    let proxy = ECSMetadataCredentialProvider(
      transport: FakeTransport { _, _ in HTTPResponseSpec(status: 404) }, now: { Date(timeIntervalSince1970: 0) })
    let proxied = try await proxy.credentials()
    XCTAssertNil(proxied)
    // With a configured role name the same answer is an error.
    let named = ECSMetadataCredentialProvider(
      roleName: "r", transport: FakeTransport { _, _ in HTTPResponseSpec(status: 404) }, now: { Date(timeIntervalSince1970: 0) })
    do {
      _ = try await named.credentials()
      XCTFail("expected an error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .credentials)
    }
    let chain = CredentialChain.standard(
      explicit: nil, environment: ["ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"], homeDirectory: home, readFile: reader([:]),
      metadata: { _ in provider })
    XCTAssertEqual(chain.providers.count, 4)
  }
}
