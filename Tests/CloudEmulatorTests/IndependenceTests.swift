import AlibabaCloud
import Foundation
import XCTest

@testable import CloudEmulator
import CertHookTestSupport

/// Issue 9, independence: the emulator verifies signatures with its own canonical forms, decodes `+` as a space
/// in the query as the gateway does, joins repeated headers as the official signer does, and refuses a request
/// signed with a wrong encoding rule that a client and a server sharing one encoder would both get wrong.
final class IndependenceTests: XCTestCase {
  func start() async throws -> EmulatorHarness {
    let harness = try await EmulatorHarness.start()
    addTeardownBlock { await harness.stop() }
    return harness
  }

  /// The official SDK sends its query with `quote_plus`: a space arrives as `+`, and the signature covers the
  /// decoded value (canonical `%20`).
  func testPlusInTheQueryIsASpaceAsTheSDKSendsIt() async throws {
    let h = try await start()
    let pem = try Fixtures.issue(domains: ["plus.example.test"], now: h.clock.now)
    let params = [("Name", "a b+c/d=e 证书"), ("Cert", pem.cert), ("Key", pem.key)]
    let raw = params.map { "\(Self.quotePlus($0.0))=\(Self.quotePlus($0.1))" }.joined(separator: "&")
    XCTAssertTrue(raw.contains("BEGIN+CERTIFICATE"), raw)
    let headers = HandSigner.v3(
      .init(
        host: h.host, action: "UploadUserCertificate", version: "2020-04-07", query: params, date: h.clock.now,
        nonce: h.nextNonce()))
    let reply = try await h.client.send(rawQuery: raw, headers: headers)
    XCTAssertEqual(reply.status, 200, "\(reply.code ?? "") \(reply.message)")
    let certId = try XCTUnwrap(reply.int("CertId"))
    let detail = try await h.call("GetUserCertificateDetail", [("CertId", String(certId))])
    XCTAssertEqual(detail.string("Name"), "a b+c/d=e 证书")
    XCTAssertEqual(detail.string("Cert"), pem.cert, "the PEM's spaces and newlines survive")
  }

  /// `%2B` is a plus, `+` is a space, in the query as in a form body.
  func testDecodingRules() throws {
    XCTAssertEqual(try WireCoding.decodePairs("a=x+y%2Bz&b=&c").map { "\($0.0)|\($0.1)" }, ["a|x y+z", "b|", "c|"])
    XCTAssertEqual(WireCoding.decodeComponent("%E8%AF%81%e4%b9%a6"), "证书")
    XCTAssertNil(WireCoding.decodeComponent("%4"))
    XCTAssertNil(WireCoding.decodeComponent("%ZZ"))
    XCTAssertNil(WireCoding.decodeComponent("%FF"), "not UTF-8")
    XCTAssertEqual(WireCoding.encode(" ~/*-+"), "%20~%2F%2A-%2B")
    XCTAssertEqual(WireCoding.encode("证"), "%E8%AF%81")
  }

  /// The second published vector: `x-acs-test: http` and `x-acs-TEST: https` give `x-acs-test:http,https`;
  /// the official signer sorts the values, so the arrival order does not matter.
  func testRepeatedHeadersAreJoinedAsTheOfficialSignerDoes() {
    let payload = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23"
    for headers in [[("x-acs-test", "http"), ("x-acs-TEST", "https")], [("x-acs-TEST", "https"), ("x-acs-test", " http ")]]
    {
      XCTAssertEqual(CanonicalForms.headers(headers, signed: ["x-acs-test"]), "x-acs-test:http,https\n")
      let canonical = CanonicalForms.v3Request(
        method: "GET", path: "/", query: [("test", "ok"), ("empty", "")], headers: headers, signed: ["x-acs-test"],
        payloadHash: payload)
      let stringToSign = "ACS3-HMAC-SHA256\n" + Hashing.sha256Hex(Array(canonical.utf8))
      XCTAssertEqual(
        Hashing.hmacSHA256Hex(key: Array("secret".utf8), data: Array(stringToSign.utf8)),
        "d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1")
    }
  }

  /// A request signed with Python's default `quote()` rule (`/` left unencoded) - the kind of bug a client and an
  /// emulator sharing one encoder would both make and so never notice - is refused; the spec's rule is accepted.
  /// (The conformance suite sends the official SDK's request for the same call and requires it accepted.)
  func testAWrongSharedEncodingRuleIsRefused() async throws {
    let h = try await start()
    let params = [("OrderType", "UPLOAD"), ("Keyword", "a/b c")]
    var wrong = HandSigner.V3Input(
      host: h.host, action: "ListUserCertificateOrder", version: "2020-04-07", query: params, date: h.clock.now,
      nonce: h.nextNonce())
    wrong.canonicalQueryOverride = "Keyword=a/b%20c&OrderType=UPLOAD"
    let refused = try await h.client.send(query: params, headers: HandSigner.v3(wrong))
    XCTAssertEqual(refused.code, "SignatureDoesNotMatch", refused.message)
    var plusForSpace = wrong
    plusForSpace.nonce = h.nextNonce()
    plusForSpace.canonicalQueryOverride = "Keyword=a%2Fb+c&OrderType=UPLOAD"
    let alsoRefused = try await h.client.send(query: params, headers: HandSigner.v3(plusForSpace))
    XCTAssertEqual(alsoRefused.code, "SignatureDoesNotMatch", alsoRefused.message)
    let right = try await h.call("ListUserCertificateOrder", params)
    XCTAssertEqual(right.status, 200, right.message)
  }

  /// CloudEmulator imports nothing from AlibabaCloud but the action table and the hash primitives.
  func testTheEmulatorImportsOnlyTheActionTableAndHashingFromTheClient() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/CloudEmulator")
    let files = try XCTUnwrap(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") }
    XCTAssertGreaterThan(files.count, 20)
    var imports: Set<String> = []
    for file in files {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      for line in text.split(separator: "\n") where line.hasPrefix("import") && line.contains("AlibabaCloud") {
        imports.insert(String(line))
      }
    }
    XCTAssertEqual(imports, ["import struct AlibabaCloud.ApiAction", "import enum AlibabaCloud.Hashing"])
  }

  /// Python's `quote_plus`: unreserved and `_.-~` kept, space as `+`, everything else `%XX`.
  static func quotePlus(_ s: String) -> String {
    HandSigner.encode(s).replacingOccurrences(of: "%20", with: "+")
  }
}
