import AlibabaCloud
import CloudEmulator
import Foundation
import Logging
import XCTest
import CertHookTestSupport

/// Issue 15: every role mode (RamRoleArn, ChainableRamRoleArn, OIDC profile, RRSA environment, INI role sections,
/// EcsRamRole) resolved through `CloudSession` against the in-process emulator's STS, refresh during a run longer
/// than the credential lifetime, one refresh for many concurrent requests, and a denied role.
final class RoleCredentialTests: XCTestCase {
  static let account = "1234567890123456"
  static let hub = "acs:ram::\(account):role/hub"
  static let deployer = "acs:ram::\(account):role/certhook-deployer"
  static let foreign = "acs:ram::9999888877776666:role/other-team"
  static let provider = "acs:ram::\(account):oidc-provider/ack-rrsa"
  static let issuer = "https://oidc-ack.example.test/c1"
  static let subject = "system:serviceaccount:certhook:certhook"

  private var home = ""

  override func setUpWithError() throws {
    home = NSTemporaryDirectory() + "roles-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: home + "/.aliyun", withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: home)
  }

  static var seed: EmulatorSeed {
    var seed = EmulatorSeed.default
    seed.accessKeys = [.init(id: "testid", secret: "testsecret-DO-NOT-LEAK", accountId: account)]
    seed.roles = [
      .init(arn: hub, trust: [account]),
      .init(arn: deployer, trust: [hub], oidc: .init(provider: provider, issuer: issuer, subjects: [subject])),
      .init(arn: foreign, trust: ["9999888877776666"]),
    ]
    return seed
  }

  static func jwt(exp: Date, sub: String = subject) -> String {
    func b64(_ text: String) -> String {
      Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    return b64("{\"alg\":\"RS256\"}") + "."
      + b64("{\"iss\":\"\(issuer)\",\"sub\":\"\(sub)\",\"exp\":\(Int(exp.timeIntervalSince1970))}") + ".c2ln"
  }

  /// An emulator and a client clock that are one clock; the client's sleeps advance it.
  struct World {
    let server: EmulatorServer
    let clock: TestClock
    let transport: AsyncHTTPClientTransport

    func stop() async {
      try? await transport.shutdown()
      await server.stop()
    }

    var environment: [String: String] {
      ["CERTHOOK_ALB_ENDPOINT": server.endpoint.absoluteString, "CERTHOOK_CAS_ENDPOINT": server.endpoint.absoluteString]
    }

    func stsCalls() async -> [RequestRecord] {
      await server.requestLog().filter { $0.action.hasPrefix("AssumeRole") }
    }
  }

  private func world(lifetime: Duration? = nil) async throws -> World {
    let clock = TestClock(Fixtures.clientStart)
    var configuration = EmulatorConfiguration(seed: Self.seed, clock: { clock.now })
    configuration.stsCredentialLifetime = lifetime
    return World(server: try await EmulatorServer.start(configuration), clock: clock, transport: AsyncHTTPClientTransport())
  }

  private func open(
    _ world: World, environment: [String: String] = [:], credentials: CredentialSelection = .standard,
    readFile: @escaping FileReader = FileReaders.fileSystem, metadata: (any HTTPTransport)? = nil
  ) async throws -> CloudSession {
    try await CloudSession.open(
      SessionRequest(credentials: credentials), environment: SessionEnvironment(world.environment.merging(environment) { $1 }),
      homeDirectory: home, runtime: world.clock.runtime(), transport: world.transport, metadataTransport: metadata,
      readFile: readFile, logger: Logger(label: "test"))
  }

  private func writeProfiles(_ json: String) throws {
    try Data(json.utf8).write(to: URL(fileURLWithPath: home + "/.aliyun/config.json"))
  }

  private func whoami(_ session: CloudSession) async throws -> String {
    try await XCTUnwrap(session.sts()).getCallerIdentity().arn ?? ""
  }

  func testRamRoleArnProfileAssumesTheRoleWithTheProfileKeys() async throws {
    let w = try await world()
    defer { Task { await w.stop() } }
    try writeProfiles(
      #"{"current": "ops", "profiles": [{"name": "ops", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "testsecret-DO-NOT-LEAK", "ram_role_arn": "\#(Self.hub)", "ram_session_name": "nightly", "expired_seconds": 900}]}"#
    )
    let session = try await open(w)
    XCTAssertEqual(session.credentialProvider, "aliyun-cli-profile")
    let resolved = try await session.credentials.resolve().credentials
    XCTAssertTrue(resolved.accessKeyId.hasPrefix("STS."), resolved.accessKeyId)
    XCTAssertEqual(resolved.expiration, w.clock.now.addingTimeInterval(900))
    let arn = try await whoami(session)
    XCTAssertEqual(arn, "acs:ram::\(Self.account):assumed-role/hub/nightly")
    _ = try await session.alb.listListeners()
    let sts = await w.stsCalls()
    XCTAssertEqual(sts.map(\.action), ["AssumeRole"], "one assumption serves every request")
  }

  func testChainableRamRoleArnAssumesEachRoleInTurn() async throws {
    let w = try await world()
    defer { Task { await w.stop() } }
    try writeProfiles(
      #"""
      {"current": "deploy", "profiles": [
        {"name": "base", "mode": "AK", "access_key_id": "testid", "access_key_secret": "testsecret-DO-NOT-LEAK"},
        {"name": "hub", "mode": "ChainableRamRoleArn", "source_profile": "base", "ram_role_arn": "\#(Self.hub)", "ram_session_name": "hop1"},
        {"name": "deploy", "mode": "ChainableRamRoleArn", "source_profile": "hub", "ram_role_arn": "\#(Self.deployer)", "ram_session_name": "hop2"},
        {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": "\#(Self.hub)"}
      ]}
      """#)
    let session = try await open(w)
    let arn = try await whoami(session)
    XCTAssertEqual(arn, "acs:ram::\(Self.account):assumed-role/certhook-deployer/hop2")
    let sts = await w.stsCalls()
    XCTAssertEqual(sts.count, 2)
    do {
      _ = try await open(w, credentials: .profile("loop", origin: "--profile"))
      XCTFail("a profile that is its own source must be refused")
    } catch let error as AlibabaCloudError {
      XCTAssertTrue(error.message.contains("leads back to itself"), error.message)
    }
  }

  func testRRSAFromTheEnvironmentReadsTheTokenFileAgainOnEveryRefresh() async throws {
    let w = try await world(lifetime: .seconds(1000))
    defer { Task { await w.stop() } }
    let tokenPath = home + "/token"
    let reads = Counter()
    let clock = w.clock
    let readFile: FileReader = { path in
      if path == tokenPath {
        reads.increment()
        return Array(Self.jwt(exp: clock.now.addingTimeInterval(3600)).utf8)
      }
      return try FileReaders.fileSystem(path)
    }
    let session = try await open(
      w,
      environment: [
        "ALIBABA_CLOUD_ROLE_ARN": Self.deployer, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN": Self.provider,
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE": tokenPath, "ALIBABA_CLOUD_ROLE_SESSION_NAME": "rrsa-pod",
      ], readFile: readFile)
    XCTAssertEqual(session.credentialProvider, "oidc-role-arn")
    let arn = try await whoami(session)
    XCTAssertEqual(arn, "acs:ram::\(Self.account):assumed-role/certhook-deployer/rrsa-pod")
    XCTAssertEqual(reads.value, 1)
    w.clock.advance(.seconds(800))  // past the refresh time (1000 s lifetime: margin 250 s + jitter)
    _ = try await session.alb.listListeners()
    XCTAssertEqual(reads.value, 2, "the token file is read again for the refresh")
    let sts = await w.stsCalls()
    XCTAssertEqual(sts.map(\.signatureVersion), ["anonymous", "anonymous"], "AssumeRoleWithOIDC is never signed")
  }

  func testOIDCProfileAndINIRoleSections() async throws {
    let w = try await world()
    defer { Task { await w.stop() } }
    let tokenPath = home + "/token"
    try Data(Self.jwt(exp: w.clock.now.addingTimeInterval(3600)).utf8).write(to: URL(fileURLWithPath: tokenPath))
    try writeProfiles(
      #"{"current": "k8s", "profiles": [{"name": "k8s", "mode": "OIDC", "ram_role_arn": "\#(Self.deployer)", "oidc_provider_arn": "\#(Self.provider)", "oidc_token_file": "\#(tokenPath)", "role_session_name": "from-profile"}]}"#
    )
    let fromProfile = try await open(w)
    let profileArn = try await whoami(fromProfile)
    XCTAssertEqual(profileArn, "acs:ram::\(Self.account):assumed-role/certhook-deployer/from-profile")

    let ini = home + "/credentials.ini"
    try Data(
      """
      [default]
      type = ram_role_arn
      access_key_id = testid
      access_key_secret = testsecret-DO-NOT-LEAK
      role_arn = \(Self.hub)
      role_session_name = from-ini

      [rrsa]
      type = oidc_role_arn
      role_arn = \(Self.deployer)
      oidc_provider_arn = \(Self.provider)
      oidc_token_file_path = \(tokenPath)
      role_session_name = ini-oidc
      """.utf8
    ).write(to: URL(fileURLWithPath: ini))
    let env = ["ALIBABA_CLOUD_CREDENTIALS_FILE": ini, "ALIBABA_CLOUD_CLI_PROFILE_DISABLED": "true"]
    let fromINI = try await open(w, environment: env)
    XCTAssertEqual(fromINI.credentialProvider, "credentials-file")
    let iniArn = try await whoami(fromINI)
    XCTAssertEqual(iniArn, "acs:ram::\(Self.account):assumed-role/hub/from-ini")
    let fromINIOIDC = try await open(w, environment: env.merging(["ALIBABA_CLOUD_PROFILE": "rrsa"]) { $1 })
    let iniOIDCArn = try await whoami(fromINIOIDC)
    XCTAssertEqual(iniOIDCArn, "acs:ram::\(Self.account):assumed-role/certhook-deployer/ini-oidc")
  }

  func testEcsRamRoleProfileAsksTheMetadataServiceForItsRole() async throws {
    let w = try await world()
    defer { Task { await w.stop() } }
    try writeProfiles(#"{"current": "ecs", "profiles": [{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "certhook-ecs"}]}"#)
    let expiration = AcsTimestamp.iso8601(w.clock.now.addingTimeInterval(3600))
    let metadata = FakeTransport { request, _ in
      if request.method == "PUT" { return HTTPResponseSpec(status: 200, body: Array("md-token".utf8)) }
      XCTAssertEqual(request.header("X-aliyun-ecs-metadata-token"), "md-token")
      XCTAssertEqual(request.url.path, "/latest/meta-data/ram/security-credentials/certhook-ecs")
      return FakeTransport.json([
        "Code": "Success", "AccessKeyId": "testid", "AccessKeySecret": "testsecret-DO-NOT-LEAK", "Expiration": expiration,
      ])
    }
    let session = try await open(w, metadata: metadata)
    XCTAssertEqual(session.credentialProvider, "aliyun-cli-profile")
    _ = try await session.alb.listListeners()
    XCTAssertEqual(metadata.requests.map(\.method), ["PUT", "GET"])
  }

  func testARunLongerThanTheCredentialLifetimeRefreshesAndNeverSendsAnExpiredKey() async throws {
    let w = try await world(lifetime: .seconds(120))
    defer { Task { await w.stop() } }
    try writeProfiles(
      #"{"current": "ops", "profiles": [{"name": "ops", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "testsecret-DO-NOT-LEAK", "ram_role_arn": "\#(Self.hub)"}]}"#
    )
    let session = try await open(w)
    var keys = Set<String>()
    for _ in 0..<20 {  // 20 x 45 s = 900 s, seven and a half credential lifetimes
      _ = try await session.alb.listListeners()
      keys.insert(try await session.credentials.resolve().credentials.accessKeyId)
      w.clock.advance(.seconds(45))
    }
    let log = await w.server.requestLog()
    XCTAssertFalse(log.contains { $0.code == "InvalidSecurityToken.Expired" }, "no request was sent with an expired key")
    XCTAssertEqual(log.filter { $0.action == "ListListeners" }.map(\.status), Array(repeating: 200, count: 20))
    let assumptions = log.filter { $0.action == "AssumeRole" }.count
    XCTAssertGreaterThanOrEqual(assumptions, 8, "a 120 s credential is replaced at least every 90 s over 900 s")
    XCTAssertLessThanOrEqual(assumptions, 10, "and not on every request")
    XCTAssertEqual(keys.count, assumptions)
  }

  func testConcurrentRequestsShareOneRefresh() async throws {
    let w = try await world(lifetime: .seconds(900))
    defer { Task { await w.stop() } }
    try writeProfiles(
      #"{"current": "ops", "profiles": [{"name": "ops", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "testsecret-DO-NOT-LEAK", "ram_role_arn": "\#(Self.hub)"}]}"#
    )
    let session = try await open(w)
    w.clock.advance(.seconds(890))
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<16 { group.addTask { _ = try await session.alb.listListeners() } }
      try await group.waitForAll()
    }
    let sts = await w.stsCalls()
    XCTAssertEqual(sts.count, 2, "the first assumption and exactly one refresh for 16 concurrent requests")
  }

  func testADeniedRoleNamesTheRoleAndTheProviderAndNoSecret() async throws {
    let w = try await world()
    defer { Task { await w.stop() } }
    try writeProfiles(
      #"{"current": "ops", "profiles": [{"name": "ops", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "testsecret-DO-NOT-LEAK", "ram_role_arn": "\#(Self.foreign)"}]}"#
    )
    do {
      _ = try await open(w, environment: ["ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"])
      XCTFail("a role the caller may not assume must fail")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .credentials)
      XCTAssertTrue(error.message.contains("ram-role-arn (\(Self.foreign) via static)"), error.message)
      XCTAssertTrue(error.message.contains("NoPermission"), error.message)
      XCTAssertFalse(error.message.contains("DO-NOT-LEAK"), error.message)
      XCTAssertFalse(error.message.contains("after"), "a refusal is not retried: \(error.message)")
    }
    let sts = await w.stsCalls()
    XCTAssertEqual(sts.map(\.code), ["NoPermission"])
  }

  func testADurationUnder900SecondsIsRefusedBeforeAnythingIsSent() async throws {
    let w = try await world()
    defer { Task { await w.stop() } }
    try writeProfiles(
      #"{"current": "ops", "profiles": [{"name": "ops", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "s", "ram_role_arn": "\#(Self.hub)", "expired_seconds": 600}]}"#
    )
    do {
      _ = try await open(w, credentials: .profile("ops", origin: "--profile"))
      XCTFail("600 s is below the STS minimum")
    } catch let error as AlibabaCloudError {
      XCTAssertTrue(error.message.contains("at least 900 seconds, got 600"), error.message)
    }
    let sts = await w.stsCalls()
    XCTAssertTrue(sts.isEmpty)
  }
}

/// A thread-safe counter for file reads.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func increment() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}

extension RoleCredentialTests {
  /// As in the official SDK, `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` also turns off an `EcsRamRole` profile.
  func testAnEcsRamRoleProfileIsRefusedWhenTheMetadataServiceIsDisabled() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let metadata = FakeTransport { _, _ in HTTPResponseSpec(status: 200, body: Array("t".utf8)) }
    let sources = CredentialSources(
      environment: SessionEnvironment(["ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"]), homeDirectory: "/nonexistent",
      readFile: { path in
        path.hasSuffix("config.json")
          ? Array(#"{"current": "ecs", "profiles": [{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "r1"}]}"#.utf8)
          : nil
      },
      metadata: { role in
        ECSMetadataCredentialProvider(roleName: role, transport: metadata, now: { clock.now })
      })
    do {
      _ = try await sources.cliProfile(nil).credentials()
      XCTFail("the metadata service is disabled")
    } catch let error as AlibabaCloudError {
      XCTAssertTrue(error.message.contains("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"), error.message)
    }
    XCTAssertTrue(metadata.requests.isEmpty)
  }
}

extension RoleCredentialTests {
  /// `credentials.assumeRole` on top of any source: here the environment's keys, then a named profile.
  func testAssumeRoleSelectionWrapsAnySource() async throws {
    let w = try await world()
    defer { Task { await w.stop() } }
    let hub = RoleProviders.RoleFields(roleArn: Self.hub, sessionName: "over-env")
    let session = try await open(
      w, environment: ["ALIBABA_CLOUD_ACCESS_KEY_ID": "testid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret-DO-NOT-LEAK"],
      credentials: .assumeRole(hub, base: .environment(origin: "test"), origin: "credentials.assumeRole"))
    XCTAssertEqual(session.credentialProvider, "ram-role-arn")
    let arn = try await whoami(session)
    XCTAssertEqual(arn, "acs:ram::\(Self.account):assumed-role/hub/over-env")

    try writeProfiles(
      #"{"profiles": [{"name": "hubp", "mode": "RamRoleArn", "access_key_id": "testid", "access_key_secret": "testsecret-DO-NOT-LEAK", "ram_role_arn": "\#(Self.hub)", "ram_session_name": "hop"}]}"#
    )
    let chained = try await open(
      w,
      credentials: .assumeRole(
        .init(roleArn: Self.deployer, sessionName: "over-profile"), base: .profile("hubp", origin: "test"),
        origin: "credentials.assumeRole"))
    let chainedArn = try await whoami(chained)
    XCTAssertEqual(chainedArn, "acs:ram::\(Self.account):assumed-role/certhook-deployer/over-profile")

    do {
      _ = try await open(
        w, credentials: .assumeRole(hub, base: .environment(origin: "credentials.environment"), origin: "c.yaml: credentials.assumeRole"))
      XCTFail("no base credentials")
    } catch let error as AlibabaCloudError {
      XCTAssertTrue(error.message.contains("ram-role-arn (\(Self.hub) via chain)"), error.message)
      XCTAssertTrue(error.message.contains("credentials.environment asks for the environment"), error.message)
    }
  }
}
