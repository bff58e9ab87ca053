import AlibabaCloud
import CloudEmulator
import Foundation
import XCTest

/// Issue 15 through the built binary: `certhook credentials show` for static keys and an assumed role, and a denied
/// role ending a command with exit 64 and a message naming the role and the provider (never the secret).
final class CredentialsCLITests: XCTestCase {
  static let account = "1234567890123456"
  static let hub = "acs:ram::\(account):role/hub"
  static let foreign = "acs:ram::9999888877776666:role/other-team"

  /// An emulator with roles next to the lifecycle world; its endpoints replace the world's.
  private func rolesEmulator() async throws -> EmulatorServer {
    var seed = LifecycleWorld.seed
    seed.accessKeys = [.init(id: "testid", secret: LifecycleWorld.secret, accountId: Self.account)]
    seed.roles = [.init(arn: Self.hub, trust: [Self.account]), .init(arn: Self.foreign, trust: ["9999888877776666"])]
    return try await EmulatorServer.start(EmulatorConfiguration(seed: seed))
  }

  private func profiles(_ world: LifecycleWorld) throws {
    try FileManager.default.createDirectory(atPath: world.root + "/home/.aliyun", withIntermediateDirectories: true)
    try world.write(
      world.root + "/home/.aliyun/config.json",
      """
      {"current": "ops", "profiles": [
        {"name": "ops", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "\(LifecycleWorld.secret)",
         "ram_role_arn": "\(Self.hub)", "ram_session_name": "cli-test"},
        {"name": "denied", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "\(LifecycleWorld.secret)",
         "ram_role_arn": "\(Self.foreign)"}
      ]}
      """, mode: 0o600)
  }

  private func environment(_ server: EmulatorServer) -> [String: String] {
    let endpoint = server.endpoint.absoluteString
    return [
      "ALIBABA_CLOUD_ACCESS_KEY_ID": "", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "", "CERTHOOK_ALB_ENDPOINT": endpoint,
      "CERTHOOK_CAS_ENDPOINT": endpoint, "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
    ]
  }

  func testShowPrintsTheProviderAndKeyIdAndOnlyDigestsOfTheSecret() async throws {
    let world = try await LifecycleWorld.start()
    let roles = try await rolesEmulator()
    try profiles(world)
    let keys = try await world.run(["credentials", "show", "--json"], state: false)
    let role = try await world.run(["credentials", "show", "--json"], extra: environment(roles), state: false)
    let text = try await world.run(["credentials", "show"], extra: environment(roles), state: false)
    let log = await roles.requestLog()
    await roles.stop()
    await world.stop()

    XCTAssertEqual(keys.status, 0, keys.all)
    let keyDoc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(keys.stdout.utf8)) as? [String: Any])
    XCTAssertEqual(keyDoc["provider"] as? String, "environment")
    XCTAssertEqual(keyDoc["accessKeyId"] as? String, "testid")
    XCTAssertEqual(keyDoc["accessKeySecretSha256"] as? String, Hashing.sha256Hex(Array(LifecycleWorld.secret.utf8)))
    XCTAssertTrue(keyDoc["securityTokenSha256"] is NSNull)

    XCTAssertEqual(role.status, 0, role.all)
    let roleDoc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(role.stdout.utf8)) as? [String: Any])
    XCTAssertEqual(roleDoc["provider"] as? String, "aliyun-cli-profile")
    XCTAssertTrue((roleDoc["accessKeyId"] as? String ?? "").hasPrefix("STS."), role.all)
    XCTAssertNotNil(roleDoc["expiration"] as? String)
    XCTAssertEqual((roleDoc["securityTokenSha256"] as? String)?.count, 64)
    XCTAssertTrue(text.stdout.contains("provider: aliyun-cli-profile\naccessKeyId: STS."), text.all)
    XCTAssertTrue(text.stdout.contains("(not shown)"), text.all)
    XCTAssertEqual(log.filter { $0.action == "AssumeRole" }.map(\.status), [200, 200])
  }

  func testADeniedRoleExits64NamingTheRoleAndTheProvider() async throws {
    let world = try await LifecycleWorld.start()
    let roles = try await rolesEmulator()
    try profiles(world)
    let listeners = try await world.run(
      ["listeners", "--profile", "denied"], extra: environment(roles), state: false)
    let show = try await world.run(
      ["credentials", "show", "--json", "--profile", "denied"], extra: environment(roles), state: false)
    await roles.stop()
    await world.stop()
    for result in [listeners, show] {
      XCTAssertEqual(result.status, 64, result.all)
      XCTAssertTrue(result.stderr.contains("ram-role-arn (\(Self.foreign) via static)"), result.all)
      XCTAssertTrue(result.stderr.contains("NoPermission"), result.all)
    }
    XCTAssertTrue(show.stdout.contains("\"exitCode\" : 64"), show.all)
  }

  func testConfigurationAssumeRoleAssumesTheRoleOverTheEnvironmentKeys() async throws {
    let world = try await LifecycleWorld.start()
    let roles = try await rolesEmulator()
    let config = try world.config(
      "version: 1\ncredentials:\n  environment: true\n  assumeRole: {roleArn: '\(Self.hub)', sessionName: from-config}\n"
        + "deployments:\n  - name: x\n    domains: [example.test]\n    targets: [lsr-h1-https]\n")
    var env = environment(roles)
    env["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "testid"
    env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = LifecycleWorld.secret
    let show = try await world.run(["credentials", "show", "--json", "--config", config], extra: env, state: false)
    let listeners = try await world.run(["listeners", "--config", config, "--json"], extra: env, state: false)
    let log = await roles.requestLog()
    await roles.stop()
    await world.stop()
    XCTAssertEqual(show.status, 0, show.all)
    XCTAssertTrue(show.stdout.contains("\"provider\":\"ram-role-arn\""), show.all)
    XCTAssertTrue(show.stdout.contains("\"accessKeyId\":\"STS."), show.all)
    XCTAssertEqual(listeners.status, 0, listeners.all)
    XCTAssertTrue(listeners.stdout.contains("lsr-h1-https"), listeners.all)
    XCTAssertEqual(log.filter { $0.action == "AssumeRole" }.map(\.status), [200, 200])
  }
}
