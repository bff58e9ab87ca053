import AlibabaCloud
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 15: one emulator process serves several accounts, each with its own keys, world and rate limits; an
/// assumed role of another account works in that account's world.
final class AccountsTests: XCTestCase {
  static var seed: EmulatorSeed {
    var seed = EmulatorSeed.default
    seed.accessKeys = [.init(id: "testid", secret: "testsecret", accountId: "1000000000000001")]
    seed.accounts = [
      .init(
        id: "2000000000000002", region: "cn-shanghai", accessKeys: [.init(id: "acct2-key", secret: "acct2-secret")],
        loadBalancers: [.init(id: "alb-two", listeners: [.init(id: "lsr-two-443", protocol: "HTTPS", port: 443)])]),
      .init(
        id: "3000000000000003", accessKeys: [.init(id: "acct3-key", secret: "acct3-secret")],
        loadBalancers: [.init(id: "alb-three", listeners: [.init(id: "lsr-three-443", protocol: "HTTPS", port: 443)])]),
    ]
    seed.roles = [.init(arn: "acs:ram::3000000000000003:role/certhook", trust: ["1000000000000001"])]
    return seed
  }

  private func listenerIds(_ h: EmulatorHarness) async throws -> [String] {
    let reply = try await h.call("ListListeners", [("MaxResults", "100")])
    XCTAssertEqual(reply.status, 200, "\(reply.code ?? "") \(reply.message)")
    return reply.array("Listeners").compactMap { $0["ListenerId"] as? String }.sorted()
  }

  func testEachAccountSeesOnlyItsOwnWorld() async throws {
    let h = try await EmulatorHarness.start(seed: Self.seed)
    defer { Task { await h.stop() } }
    let primary = try await listenerIds(h)
    XCTAssertEqual(primary, ["lsr-emulator-443", "lsr-emulator-80", "lsr-emulator-quic"])
    h.accessKeyId = "acct2-key"
    h.secret = "acct2-secret"
    let two = try await listenerIds(h)
    XCTAssertEqual(two, ["lsr-two-443"])
    let uploaded = try await h.upload(name: "only-in-two", domains: ["two.example.test"])
    let identity = try await h.call("GetCallerIdentity")
    XCTAssertEqual(identity.string("AccountId"), "2000000000000002")

    h.accessKeyId = "acct3-key"
    h.secret = "acct3-secret"
    let three = try await listenerIds(h)
    XCTAssertEqual(three, ["lsr-three-443"])
    let notHere = try await h.call("GetUserCertificateDetail", [("CertId", String(uploaded.certId))])
    XCTAssertEqual(notHere.code, "NotFound", "account 3 cannot see account 2's upload")
    let foreignListener = try await h.call("ListListenerCertificates", [("ListenerId", "lsr-two-443")])
    XCTAssertEqual(foreignListener.code, "ResourceNotFound.Listener")

    let maybeTwo = await h.server.state(account: "2000000000000002")
    let stateTwo = try XCTUnwrap(maybeTwo)
    XCTAssertEqual(stateTwo.certificates.map(\.name).sorted(), ["lsr-two-443-generated-default", "only-in-two"])
    let primaryState = await h.server.state()
    XCTAssertFalse(primaryState.certificates.contains { $0.name == "only-in-two" })
    let unknown = await h.server.state(account: "9")
    XCTAssertNil(unknown)
    let log = await h.server.requestLog()
    XCTAssertEqual(Set(log.map { $0.accountId ?? "primary" }), ["primary", "2000000000000002", "3000000000000003"])
  }

  func testRateLimitsArePerAccount() async throws {
    let h = try await EmulatorHarness.start(seed: Self.seed) { $0.rateLimit = try? RateLimitOverride.parse("1/60s") }
    defer { Task { await h.stop() } }
    h.accessKeyId = "acct2-key"
    h.secret = "acct2-secret"
    let first = try await h.call("UpdateListenerAttribute", [("ListenerId", "lsr-two-443"), ("ListenerDescription", "a")])
    XCTAssertEqual(first.status, 200, "\(first.code ?? "")")
    let second = try await h.call("UpdateListenerAttribute", [("ListenerId", "lsr-two-443"), ("ListenerDescription", "b")])
    XCTAssertEqual(second.code, "Throttling.User", "account 2 used its one write")
    h.accessKeyId = "acct3-key"
    h.secret = "acct3-secret"
    let other = try await h.call("UpdateListenerAttribute", [("ListenerId", "lsr-three-443"), ("ListenerDescription", "c")])
    XCTAssertEqual(other.status, 200, "account 3 has its own limit: \(other.code ?? "")")
  }

  func testAnAssumedRoleActsInTheRolesAccount() async throws {
    let h = try await EmulatorHarness.start(seed: Self.seed)
    defer { Task { await h.stop() } }
    let reply = try await h.call(
      "AssumeRole", [("RoleArn", "acs:ram::3000000000000003:role/certhook"), ("RoleSessionName", "cross")])
    let c = try XCTUnwrap(reply.json["Credentials"] as? [String: Any])
    h.accessKeyId = try XCTUnwrap(c["AccessKeyId"] as? String)
    h.secret = try XCTUnwrap(c["AccessKeySecret"] as? String)
    h.securityToken = c["SecurityToken"] as? String
    let ids = try await listenerIds(h)
    XCTAssertEqual(ids, ["lsr-three-443"])
  }

  func testAccountSeedsAreValidated() {
    var seed = Self.seed
    seed.accounts[1].id = "2000000000000002"
    XCTAssertThrowsError(try seed.validate()) { XCTAssertTrue("\($0)".contains("accounts[1].id"), "\($0)") }
    seed = Self.seed
    seed.accounts[0].accessKeys.append(.init(id: "testid", secret: "x"))
    XCTAssertThrowsError(try seed.validate()) { XCTAssertTrue("\($0)".contains("accounts[0].accessKeys[1].id"), "\($0)") }
    seed = Self.seed
    seed.accounts[0].accessKeys[0].accountId = "1"
    XCTAssertThrowsError(try seed.validate()) { XCTAssertTrue("\($0)".contains("is not the account's id"), "\($0)") }
  }
}
