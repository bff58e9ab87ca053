import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Every authentication error, on requests signed by hand.
final class AuthErrorTests: XCTestCase {
  func start(_ keys: [EmulatorSeed.AccessKey] = EmulatorSeed.defaultAccessKeys) async throws -> EmulatorHarness {
    var seed = EmulatorSeed.default
    seed.accessKeys = keys
    let harness = try await EmulatorHarness.start(seed: seed)
    addTeardownBlock { await harness.stop() }
    return harness
  }

  func input(_ h: EmulatorHarness, query: [(String, String)] = [], nonce: String? = nil) -> HandSigner.V3Input {
    HandSigner.V3Input(
      host: h.host, action: "ListListeners", version: "2020-06-16", query: query, date: h.clock.now,
      nonce: nonce ?? h.nextNonce())
  }

  func assertErrorBody(_ reply: Reply, status: Int, code: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(reply.status, status, "\(reply.code ?? "") \(reply.message)", file: file, line: line)
    XCTAssertEqual(reply.code, code, reply.message, file: file, line: line)
    XCTAssertEqual(
      Set(reply.json.keys), ["RequestId", "HostId", "Code", "Message", "Recommend"], file: file, line: line)
    let requestId = reply.string("RequestId") ?? ""
    XCTAssertNotNil(
      requestId.range(
        of: "^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$", options: .regularExpression), requestId,
      file: file, line: line)
    XCTAssertEqual(reply.headers["x-acs-request-id"], requestId, file: file, line: line)
  }

  func testValidV3AndV1Requests() async throws {
    let h = try await start()
    let v3 = try await h.call("ListListeners")
    XCTAssertEqual(v3.status, 200, v3.message)
    XCTAssertEqual(v3.int("TotalCount"), 3)
    let v1 = try await h.callV1("ListListeners")
    XCTAssertEqual(v1.status, 200, v1.message)
    let log = await h.server.requestLog()
    XCTAssertEqual(log.map { $0.signatureVersion }, ["V3", "V1"])
  }

  func testUnknownAccessKey() async throws {
    let h = try await start()
    var i = input(h)
    i.accessKeyId = "nobody"
    let reply = try await h.client.send(headers: HandSigner.v3(i))
    assertErrorBody(reply, status: 404, code: "InvalidAccessKeyId.NotFound")
  }

  func testWrongSecretGivesSignatureDoesNotMatchWithServerStringToSign() async throws {
    let h = try await start()
    var i = input(h)
    i.secret = "wrongsecret"
    let reply = try await h.client.send(headers: HandSigner.v3(i))
    assertErrorBody(reply, status: 400, code: "SignatureDoesNotMatch")
    XCTAssertTrue(reply.message.contains("server string to sign is:ACS3-HMAC-SHA256\n"), reply.message)
    XCTAssertFalse(reply.message.contains("testsecret"))
  }

  func testTamperedQueryGivesSignatureDoesNotMatch() async throws {
    let h = try await start()
    let headers = HandSigner.v3(input(h, query: [("MaxResults", "5")]))
    let reply = try await h.client.send(query: [("MaxResults", "6")], headers: headers)
    assertErrorBody(reply, status: 400, code: "SignatureDoesNotMatch")
  }

  func testBodyHashMismatch() async throws {
    let h = try await start()
    var i = input(h)
    i.body = Array("MaxResults=5".utf8)
    i.contentType = "application/x-www-form-urlencoded"
    let headers = HandSigner.v3(i)
    let reply = try await h.client.send(headers: headers, body: Array("MaxResults=6".utf8))
    assertErrorBody(reply, status: 400, code: "SignatureDoesNotMatch")
  }

  func testMissingPartsGiveIncompleteSignature() async throws {
    let h = try await start()
    let none = try await h.client.send(query: [("Action", "ListListeners"), ("Version", "2020-06-16")])
    assertErrorBody(none, status: 400, code: "IncompleteSignature")
    var i = input(h)
    i.unsigned = ["x-acs-signature-nonce"]
    let unsignedNonce = try await h.client.send(headers: HandSigner.v3(i))
    assertErrorBody(unsignedNonce, status: 400, code: "IncompleteSignature")
    let malformed = try await h.client.send(headers: [
      ("x-acs-action", "ListListeners"), ("x-acs-version", "2020-06-16"),
      ("authorization", "ACS3-HMAC-SHA256 Credential=testid"),
    ])
    assertErrorBody(malformed, status: 400, code: "IncompleteSignature")
    let v1 = try await h.client.send(query: [
      ("Action", "ListListeners"), ("Version", "2020-06-16"), ("AccessKeyId", "testid"), ("Signature", "x"),
    ])
    assertErrorBody(v1, status: 400, code: "IncompleteSignature")
  }

  func testStaleDateBothWays() async throws {
    let h = try await start()
    var old = input(h)
    old.date = h.clock.now.addingTimeInterval(-16 * 60)
    let r7 = try await h.client.send(headers: HandSigner.v3(old))
    assertErrorBody(r7, status: 400, code: "InvalidTimeStamp.Expired")
    var future = input(h)
    future.date = h.clock.now.addingTimeInterval(16 * 60)
    let r8 = try await h.client.send(headers: HandSigner.v3(future))
    assertErrorBody(r8, status: 400, code: "InvalidTimeStamp.Expired")
    var near = input(h)
    near.date = h.clock.now.addingTimeInterval(-14 * 60)
    let r1 = try await h.client.send(headers: HandSigner.v3(near))

    XCTAssertEqual(r1.status, 200)
  }

  func testNonceReplayIsRefusedWithinTheWindowOnly() async throws {
    let h = try await start()
    let headers = HandSigner.v3(input(h, nonce: "same-nonce"))
    let r2 = try await h.client.send(headers: headers)

    XCTAssertEqual(r2.status, 200)
    let r9 = try await h.client.send(headers: headers)
    assertErrorBody(r9, status: 400, code: "SignatureNonceUsed")
    let v1 = HandSigner.v1(
      method: "POST", params: [("Action", "ListListeners"), ("Version", "2020-06-16")], date: h.clock.now,
      nonce: "v1-nonce")
    let r3 = try await h.client.send(query: v1)

    XCTAssertEqual(r3.status, 200)
    let r10 = try await h.client.send(query: v1)
    assertErrorBody(r10, status: 400, code: "SignatureNonceUsed")
    // After the window the same nonce is new again (with a fresh date).
    h.clock.advance(16 * 60)
    let r4 = try await h.client.send(headers: HandSigner.v3(input(h, nonce: "same-nonce")))

    XCTAssertEqual(r4.status, 200)
  }

  func testSTSTokenAcceptedWithItsKeyOnly() async throws {
    let h = try await start([.init(id: "STS.testid", secret: "stssecret", securityToken: "token-123")])
    h.accessKeyId = "STS.testid"
    h.secret = "stssecret"
    h.securityToken = "token-123"
    let r5 = try await h.call("ListListeners")

    XCTAssertEqual(r5.status, 200)
    let r6 = try await h.callV1("ListListeners")

    XCTAssertEqual(r6.status, 200)
    h.securityToken = "token-999"
    let r11 = try await h.call("ListListeners")
    assertErrorBody(r11, status: 400, code: "InvalidSecurityToken.MismatchWithAccessKey")
    h.securityToken = nil
    let r12 = try await h.call("ListListeners")
    assertErrorBody(r12, status: 400, code: "MissingSecurityToken")
    let r13 = try await h.callV1("ListListeners")
    assertErrorBody(r13, status: 400, code: "MissingSecurityToken")
  }

  func testUnknownActionAndWrongVersion() async throws {
    let h = try await start()
    let r14 = try await h.call("DescribeRegions")
    assertErrorBody(r14, status: 404, code: "InvalidAction.NotFound")
    let headers = HandSigner.v3(
      .init(host: h.host, action: "ListListeners", version: "2014-05-26", date: h.clock.now, nonce: h.nextNonce()))
    let r15 = try await h.client.send(headers: headers)
    assertErrorBody(r15, status: 400, code: "InvalidVersion")
  }

  func testParametersFromFormBodyAndFlattenedArrays() async throws {
    let h = try await start()
    let form = try await h.callWithForm(
      "ListListeners", [("ListenerIds.1", "lsr-emulator-443"), ("ListenerIds.2", "lsr-emulator-80")])
    XCTAssertEqual(form.status, 200, form.message)
    XCTAssertEqual(form.int("TotalCount"), 2)
    let v1form = HandSigner.v1(
      method: "POST", params: [("Action", "ListListeners"), ("Version", "2020-06-16"), ("ListenerProtocol", "QUIC")],
      date: h.clock.now, nonce: h.nextNonce())
    let body = Array(v1form.map { "\(HandSigner.encode($0.0))=\(HandSigner.encode($0.1))" }.joined(separator: "&").utf8)
    let reply = try await h.client.send(headers: [("content-type", "application/x-www-form-urlencoded")], body: body)
    XCTAssertEqual(reply.status, 200, reply.message)
    XCTAssertEqual(reply.int("TotalCount"), 1)
  }

  func testUnparsableDateGivesInvalidTimeStampFormat() async throws {
    let h = try await start()
    var params = HandSigner.v1(
      method: "POST", params: [("Action", "ListListeners"), ("Version", "2020-06-16")], date: h.clock.now,
      nonce: h.nextNonce())
    params = params.map { $0.0 == "Timestamp" ? ($0.0, "yesterday") : $0 }
    let reply = try await h.client.send(query: params)
    assertErrorBody(reply, status: 400, code: "InvalidTimeStamp.Format")
  }
}
