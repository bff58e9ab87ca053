import AlibabaCloud
import Foundation
import XCTest

@testable import CloudEmulator
import CertHookTestSupport

/// The published vectors, fed to the emulator exactly as written in the spec.
final class SignatureVectorTests: XCTestCase {
  static let v3Date = Date(timeIntervalSince1970: 1_698_315_752)  // 2023-10-26T10:22:32Z

  func v3VectorRequest(signature: String) throws -> IncomingRequest {
    try IncomingRequest(
      method: "POST", path: "/",
      rawQuery: "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
      headers: [
        ("Host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        ("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
        ("x-acs-version", "2014-05-26"),
        (
          "Authorization",
          "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=\(signature)"
        ),
      ],
      body: [])
  }

  func vectorEngine() throws -> EmulatorEngine {
    var seed = EmulatorSeed.default
    seed.accessKeys = [.init(id: "YourAccessKeyId", secret: "YourAccessKeySecret")]
    seed.loadBalancers = []
    return try EmulatorEngine(configuration: EmulatorConfiguration(seed: seed, clock: { SignatureVectorTests.v3Date }))
  }

  func decode(_ response: EngineResponse) throws -> [String: Any] {
    try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
  }

  func testFirstV3VectorPassesTheSignatureCheckAtItsOwnDate() async throws {
    let engine = try vectorEngine()
    let ok = await engine.handle(
      try v3VectorRequest(signature: "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"))
    // The signature is accepted; only then is the (ECS) action refused as unknown to this emulator.
    XCTAssertEqual(ok.status, 404)
    XCTAssertEqual(try decode(ok)["Code"] as? String, "InvalidAction.NotFound")
  }

  func testFirstV3VectorWithAnotherSignatureShowsThePublishedStringToSign() async throws {
    let engine = try vectorEngine()
    let bad = await engine.handle(try v3VectorRequest(signature: String(repeating: "0", count: 64)))
    XCTAssertEqual(bad.status, 400)
    let body = try decode(bad)
    XCTAssertEqual(body["Code"] as? String, "SignatureDoesNotMatch")
    let message = try XCTUnwrap(body["Message"] as? String)
    XCTAssertTrue(
      message.hasSuffix(
        "server string to sign is:ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"),
      message)
    XCTAssertEqual(Set(body.keys), ["RequestId", "HostId", "Code", "Message", "Recommend"])
  }

  func testFirstV3VectorIsStaleFifteenMinutesLater() async throws {
    var seed = EmulatorSeed.default
    seed.accessKeys = [.init(id: "YourAccessKeyId", secret: "YourAccessKeySecret")]
    let later = SignatureVectorTests.v3Date.addingTimeInterval(15 * 60 + 1)
    let engine = try EmulatorEngine(configuration: EmulatorConfiguration(seed: seed, clock: { later }))
    let reply = await engine.handle(
      try v3VectorRequest(signature: "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"))
    XCTAssertEqual(try decode(reply)["Code"] as? String, "InvalidTimeStamp.Expired")
  }

  func testV1VectorOverHTTPAtItsOwnDate() async throws {
    let harness = try await EmulatorHarness.start()
    addTeardownBlock { await harness.stop() }
    harness.clock.set(Date(timeIntervalSince1970: 1_456_231_584))  // 2016-02-23T12:46:24Z
    let params: [(String, String)] = [
      ("Timestamp", "2016-02-23T12:46:24Z"), ("Format", "XML"), ("AccessKeyId", "testid"),
      ("Action", "DescribeRegions"), ("SignatureMethod", "HMAC-SHA1"),
      ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), ("Version", "2014-05-26"),
      ("SignatureVersion", "1.0"),
    ]
    let ok = try await harness.client.send(
      method: "GET", query: params + [("Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")])
    XCTAssertEqual(ok.code, "InvalidAction.NotFound", "the published V1 signature must be accepted: \(ok.message)")
    let tampered = try await harness.client.send(
      method: "GET",
      query: params.map { $0.0 == "SignatureNonce" ? ($0.0, "other") : $0 } + [
        ("Signature", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")
      ])
    XCTAssertEqual(tampered.code, "SignatureDoesNotMatch")
    XCTAssertTrue(tampered.message.contains("server string to sign is:GET&%2F&AccessKeyId%3Dtestid"), tampered.message)
  }

  func testEncodingRulesOfTheSpecOverHTTP() async throws {
    let harness = try await EmulatorHarness.start()
    addTeardownBlock { await harness.stop() }
    // " ~/*-+" must be encoded %20~%2F%2A-%2B by both sides; the keyword matches nothing, so the list is empty.
    let v3 = try await harness.call("ListUserCertificateOrder", [("OrderType", "CERT"), ("Keyword", " ~/*-+")])
    XCTAssertEqual(v3.status, 200, v3.message)
    XCTAssertEqual(HandSigner.encode(" ~/*-+"), "%20~%2F%2A-%2B")
    let v1 = try await harness.callV1("ListUserCertificateOrder", [("OrderType", "CERT"), ("Keyword", "a b*c/d~é")])
    XCTAssertEqual(v1.status, 200, v1.message)
  }
}
