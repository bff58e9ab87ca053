import AlibabaCloud
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// STS in the emulator: AssumeRole and AssumeRoleWithOIDC against the seed's roles and trust, the issued
/// credentials' token and expiry checks, and the error codes of a refused role.
final class STSTests: XCTestCase {
  static let account = "1234567890123456"
  static let deployer = "acs:ram::\(account):role/certhook-deployer"
  static let hub = "acs:ram::\(account):role/hub"
  static let foreign = "acs:ram::9999888877776666:role/other-team"
  static let provider = "acs:ram::\(account):oidc-provider/ack-rrsa"
  static let issuer = "https://oidc-ack.example.test/c1"
  static let subject = "system:serviceaccount:certhook:certhook"

  static var seed: EmulatorSeed {
    var seed = EmulatorSeed.default
    seed.accessKeys = [
      .init(id: "testid", secret: "testsecret", accountId: account),
      .init(id: "outsider", secret: "outsidersecret", accountId: "5555666677778888"),
    ]
    seed.roles = [
      .init(arn: hub, trust: [account]),
      .init(
        arn: deployer, maxSessionDuration: 7200, trust: [hub], externalId: nil,
        oidc: .init(provider: provider, issuer: issuer, subjects: [subject])),
      .init(arn: foreign, trust: ["9999888877776666"]),
      .init(arn: "acs:ram::\(account):role/partner", trust: [account], externalId: "ext-42"),
    ]
    return seed
  }

  static func jwt(iss: String = issuer, sub: String = subject, exp: Date) -> String {
    func b64(_ text: String) -> String {
      Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    let payload = "{\"iss\":\"\(iss)\",\"sub\":\"\(sub)\",\"aud\":[\"sts.aliyuncs.com\"],\"exp\":\(Int(exp.timeIntervalSince1970)),\"iat\":\(Int(exp.timeIntervalSince1970) - 600)}"
    return b64("{\"alg\":\"RS256\"}") + "." + b64(payload) + ".c2lnbmF0dXJl"
  }

  private func credentials(_ reply: Reply) throws -> (id: String, secret: String, token: String, expiration: String) {
    let c = try XCTUnwrap(reply.json["Credentials"] as? [String: Any], "no Credentials in \(reply.json)")
    return (
      try XCTUnwrap(c["AccessKeyId"] as? String), try XCTUnwrap(c["AccessKeySecret"] as? String),
      try XCTUnwrap(c["SecurityToken"] as? String), try XCTUnwrap(c["Expiration"] as? String)
    )
  }

  func testAssumeRoleIssuesShortLivedCredentialsThatNeedTheirTokenAndExpire() async throws {
    let h = try await EmulatorHarness.start(seed: Self.seed)
    defer { Task { await h.stop() } }
    let reply = try await h.call(
      "AssumeRole", [("RoleArn", Self.hub), ("RoleSessionName", "certhook"), ("DurationSeconds", "900")])
    XCTAssertEqual(reply.status, 200, "\(reply.code ?? "") \(reply.message)")
    let creds = try credentials(reply)
    XCTAssertTrue(creds.id.hasPrefix("STS."), creds.id)
    XCTAssertEqual(creds.expiration, "2026-03-01T00:15:00Z", "reference time + 900 s, second precision, UTC")
    XCTAssertEqual((reply.json["AssumedRoleUser"] as? [String: Any])?["Arn"] as? String,
      "acs:ram::\(Self.account):assumed-role/hub/certhook")

    h.accessKeyId = creds.id
    h.secret = creds.secret
    let noToken = try await h.call("GetCallerIdentity")
    XCTAssertEqual(noToken.code, "MissingSecurityToken")
    h.securityToken = creds.token
    let who = try await h.call("GetCallerIdentity")
    XCTAssertEqual(who.string("Arn"), "acs:ram::\(Self.account):assumed-role/hub/certhook")
    XCTAssertEqual(who.string("IdentityType"), "AssumedRoleUser")
    h.securityToken = "CAISwrong"
    let wrongToken = try await h.call("GetCallerIdentity")
    XCTAssertEqual(wrongToken.code, "InvalidSecurityToken.MismatchWithAccessKey")
    h.securityToken = creds.token
    h.clock.advance(900)
    let expired = try await h.call("ListListeners")
    XCTAssertEqual(expired.code, "InvalidSecurityToken.Expired")
    XCTAssertEqual(expired.status, 400)
  }

  func testChainedAssumptionFollowsTheTrustOfEachRole() async throws {
    let h = try await EmulatorHarness.start(seed: Self.seed)
    defer { Task { await h.stop() } }
    let direct = try await h.call("AssumeRole", [("RoleArn", Self.deployer), ("RoleSessionName", "direct")])
    XCTAssertEqual(direct.code, "NoPermission", "the deployer role trusts only the hub role, not the account's users")
    XCTAssertEqual(direct.status, 403)
    XCTAssertTrue(direct.message.contains(Self.deployer), direct.message)

    let hub = try credentials(try await h.call("AssumeRole", [("RoleArn", Self.hub), ("RoleSessionName", "step1")]))
    h.accessKeyId = hub.id
    h.secret = hub.secret
    h.securityToken = hub.token
    let second = try await h.call(
      "AssumeRole", [("RoleArn", Self.deployer), ("RoleSessionName", "step2"), ("DurationSeconds", "7200")])
    XCTAssertEqual(second.status, 200, "\(second.code ?? "") \(second.message)")
    XCTAssertEqual(try credentials(second).expiration, "2026-03-01T02:00:00Z")
  }

  func testRefusalsUseTheRealCodes() async throws {
    let h = try await EmulatorHarness.start(seed: Self.seed)
    defer { Task { await h.stop() } }
    let cases: [([(String, String)], String)] = [
      ([("RoleArn", Self.foreign), ("RoleSessionName", "x1")], "NoPermission"),
      ([("RoleArn", "acs:ram::\(Self.account):role/missing"), ("RoleSessionName", "x1")], "EntityNotExist.Role"),
      ([("RoleArn", Self.hub), ("RoleSessionName", "x1"), ("DurationSeconds", "899")], "InvalidParameter.DurationSeconds"),
      ([("RoleArn", Self.hub), ("RoleSessionName", "x1"), ("DurationSeconds", "3601")], "InvalidParameter.DurationSeconds"),
      ([("RoleArn", Self.hub), ("RoleSessionName", "bad name!")], "InvalidParameter.RoleSessionName"),
      ([("RoleArn", Self.hub), ("RoleSessionName", "x1"), ("Policy", "{not json")], "InvalidParameter.PolicyGrammar"),
      ([("RoleArn", "acs:ram::\(Self.account):role/partner"), ("RoleSessionName", "x1")], "NoPermission"),
      ([("RoleArn", "acs:ram::\(Self.account):role/partner"), ("RoleSessionName", "x1"), ("ExternalId", "nope")], "NoPermission"),
    ]
    for (params, code) in cases {
      let reply = try await h.call("AssumeRole", params)
      XCTAssertEqual(reply.code, code, "\(params)")
    }
    let partner = try await h.call(
      "AssumeRole", [("RoleArn", "acs:ram::\(Self.account):role/partner"), ("RoleSessionName", "x1"), ("ExternalId", "ext-42")])
    XCTAssertEqual(partner.status, 200)
    h.accessKeyId = "outsider"
    h.secret = "outsidersecret"
    let outsider = try await h.call("AssumeRole", [("RoleArn", Self.hub), ("RoleSessionName", "x1")])
    XCTAssertEqual(outsider.code, "NoPermission", "a key of another account is not trusted")
  }

  func testAssumeRoleWithOIDCIsAnonymousAndJudgesIssuerSubjectAndExpiry() async throws {
    let h = try await EmulatorHarness.start(seed: Self.seed)
    defer { Task { await h.stop() } }
    func oidc(_ token: String, role: String = Self.deployer, provider: String = Self.provider) async throws -> Reply {
      try await h.client.send(
        method: "GET",
        query: [
          ("Action", "AssumeRoleWithOIDC"), ("Format", "JSON"), ("Version", "2015-04-01"), ("RoleArn", role),
          ("OIDCProviderArn", provider), ("OIDCToken", token), ("RoleSessionName", "rrsa"),
          ("Timestamp", "2026-03-01T00:00:00Z"),
        ])
    }
    let good = try await oidc(Self.jwt(exp: h.clock.now.addingTimeInterval(3600)))
    XCTAssertEqual(good.status, 200, "\(good.code ?? "") \(good.message)")
    XCTAssertTrue(try credentials(good).id.hasPrefix("STS."))
    XCTAssertEqual((good.json["OIDCTokenInfo"] as? [String: Any])?["Subject"] as? String, Self.subject)

    let expired = try await oidc(Self.jwt(exp: h.clock.now.addingTimeInterval(-1)))
    XCTAssertEqual(expired.code, "AuthenticationFail.OIDCToken.Expired")
    let wrongIssuer = try await oidc(Self.jwt(iss: "https://evil.example.test", exp: h.clock.now.addingTimeInterval(60)))
    XCTAssertEqual(wrongIssuer.code, "AuthenticationFail.OIDCToken.Invalid")
    let garbage = try await oidc("not-a-jwt")
    XCTAssertEqual(garbage.code, "AuthenticationFail.OIDCToken.Invalid")
    let wrongSubject = try await oidc(Self.jwt(sub: "system:serviceaccount:other:x", exp: h.clock.now.addingTimeInterval(60)))
    XCTAssertEqual(wrongSubject.code, "NoPermission")
    let wrongRole = try await oidc(Self.jwt(exp: h.clock.now.addingTimeInterval(60)), role: Self.hub)
    XCTAssertEqual(wrongRole.code, "NoPermission", "the hub role has no OIDC trust")
    let unknownProvider = try await oidc(
      Self.jwt(exp: h.clock.now.addingTimeInterval(60)), provider: "acs:ram::\(Self.account):oidc-provider/none")
    XCTAssertEqual(unknownProvider.code, "EntityNotExist.OIDCProvider")
    let anonymousAssumeRole = try await h.client.send(
      query: [("Action", "AssumeRole"), ("Version", "2015-04-01"), ("RoleArn", Self.hub), ("RoleSessionName", "x1")])
    XCTAssertEqual(anonymousAssumeRole.code, "IncompleteSignature", "only AssumeRoleWithOIDC is anonymous")
  }

  func testTheLifetimeOverrideShortensEveryCredential() async throws {
    let h = try await EmulatorHarness.start(seed: Self.seed) { $0.stsCredentialLifetime = .seconds(30) }
    defer { Task { await h.stop() } }
    let reply = try await h.call("AssumeRole", [("RoleArn", Self.hub), ("RoleSessionName", "short")])
    XCTAssertEqual(try credentials(reply).expiration, "2026-03-01T00:00:30Z")
  }

  func testAnEmulatorWithTheSameSeedIssuesTheSameSequence() async throws {
    var ids: [String] = []
    for _ in 0..<2 {
      let h = try await EmulatorHarness.start(seed: Self.seed)
      let reply = try await h.call("AssumeRole", [("RoleArn", Self.hub), ("RoleSessionName", "same")])
      ids.append(try credentials(reply).id)
      await h.stop()
    }
    XCTAssertEqual(ids[0], ids[1])
  }

  func testSeedRolesAreValidated() throws {
    var seed = Self.seed
    seed.roles.append(.init(arn: "not-an-arn"))
    XCTAssertThrowsError(try seed.validate()) { XCTAssertTrue("\($0)".contains("roles[4].arn"), "\($0)") }
    seed = Self.seed
    seed.roles[0].maxSessionDuration = 100
    XCTAssertThrowsError(try seed.validate()) { XCTAssertTrue("\($0)".contains("maxSessionDuration"), "\($0)") }
  }
}
