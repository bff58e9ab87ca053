import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

final class CASClientTests: XCTestCase {
  /// Issue 9 changed this: the parameters travel in the query, as the official SDK sends them (was: a form body).
  func testUploadSendsParametersInTheQueryAsTheSDKDoes() async throws {
    let transport = FakeTransport { _, _ in FakeTransport.json(["RequestId": "r", "CertId": "13781326", "ResourceId": "cas-upload-x"]) }
    let cas = try Fixtures.cas(transport, clock: TestClock(Fixtures.clientStart))
    let result = try await cas.uploadUserCertificate(
      name: "certhook-example", certificatePEM: "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n",
      keyPEM: "-----BEGIN PRIVATE KEY-----\nSECRETKEY==\n-----END PRIVATE KEY-----\n", clientToken: "ct")
    XCTAssertEqual(result.certId, 13_781_326)
    XCTAssertEqual(result.resourceId, "cas-upload-x")
    let request = try XCTUnwrap(transport.requests.first)
    XCTAssertTrue(request.url.absoluteString.contains("SECRETKEY"), "the key travels in the query, as the SDK sends it")
    XCTAssertTrue(request.body.isEmpty)
    XCTAssertEqual(request.parameters["Key"], "-----BEGIN PRIVATE KEY-----\nSECRETKEY==\n-----END PRIVATE KEY-----\n")
    XCTAssertEqual(request.parameters["ClientToken"], "ct")
    XCTAssertEqual(request.header("x-acs-version"), "2020-04-07")
    let auth = try XCTUnwrap(ACS3Signature.parseAuthorization(request.header("authorization") ?? ""))
    XCTAssertFalse(auth.signedHeaders.contains("content-type"))
    XCTAssertEqual(request.header("x-acs-content-sha256"), Hashing.sha256Hex([]))
  }

  func testListUsesPageNumbersUntilTotal() async throws {
    let transport = FakeTransport { request, _ in
      let page = Int(request.parameters["CurrentPage"] ?? "") ?? 0
      XCTAssertEqual(request.parameters["ShowSize"], "50")
      XCTAssertEqual(request.parameters["OrderType"], "UPLOAD")
      XCTAssertEqual(request.parameters["Keyword"], "example.com")
      let count = page < 3 ? 50 : 7
      let items: [[String: Any]] = (0..<count).map { i in
        ["CertificateId": page * 1000 + i, "Name": "c\(i)", "CommonName": "example.com",
         "Sans": i == 0 ? "" : "example.com, www.example.com", "EndDate": "2027-01-31", "Expired": "false",
         "Fingerprint": String(repeating: "A", count: 40), "SerialNo": "0a1b"]
      }
      return FakeTransport.json(["RequestId": "r", "CertificateOrderList": items, "TotalCount": 107, "CurrentPage": page])
    }
    let cas = try Fixtures.cas(transport, clock: TestClock(Fixtures.clientStart))
    let certs = try await cas.listUserCertificates(keyword: "example.com")
    XCTAssertEqual(certs.count, 107)
    XCTAssertEqual(transport.requests.count, 3)
    XCTAssertEqual(certs[0].sans, [])
    XCTAssertEqual(certs[1].sans, ["example.com", "www.example.com"])
    XCTAssertEqual(certs[0].endDate, Date(timeIntervalSince1970: 1_801_353_600))
    XCTAssertEqual(certs[0].certificateId, 1000)
  }

  func testDetailKeepsCertIdentifierVerbatimAndRedactsKey() async throws {
    let transport = FakeTransport { request, _ in
      let filter = request.parameters["CertFilter"]
      var body: [String: Any] = [
        "RequestId": "r", "Id": 13781326, "Name": "n", "Common": "example.com", "Sans": "example.com,*.example.com",
        "Sha2": String(repeating: "B", count: 64), "Fingerprint": String(repeating: "C", count: 40), "SerialNo": "00ff",
        "NotBefore": "1767225600000", "NotAfter": 1774915200000, "Expired": false,
        "CertIdentifier": "13781326-cn-hangzhou", "Algorithm": "RSA",
      ]
      if filter == "false" {
        body["Cert"] = "-----BEGIN CERTIFICATE-----\n..."
        body["Key"] = "-----BEGIN PRIVATE KEY-----\nKEY-DO-NOT-LEAK\n-----END PRIVATE KEY-----"
      }
      return FakeTransport.json(body)
    }
    let cas = try Fixtures.cas(transport, clock: TestClock(Fixtures.clientStart))
    let summary = try await cas.getUserCertificateDetail(certId: 13_781_326)
    XCTAssertEqual(summary.certIdentifier, "13781326-cn-hangzhou")
    XCTAssertNil(summary.privateKeyPEM)
    XCTAssertEqual(summary.sans, ["example.com", "*.example.com"])
    XCTAssertEqual(summary.notBefore, Date(timeIntervalSince1970: 1_767_225_600))
    XCTAssertEqual(summary.notAfter, Date(timeIntervalSince1970: 1_774_915_200))
    let full = try await cas.getUserCertificateDetail(certId: 13_781_326, includePEM: true)
    XCTAssertNotNil(full.privateKeyPEM)
    XCTAssertFalse("\(full)".contains("KEY-DO-NOT-LEAK"))
    XCTAssertFalse(String(reflecting: full).contains("KEY-DO-NOT-LEAK"))
    XCTAssertEqual(transport.requests.map { $0.parameters["CertFilter"] }, ["true", "false"])
  }

  func testNotFoundAndDelete() async throws {
    let transport = FakeTransport { request, _ in
      if request.action == "DeleteUserCertificate" { return FakeTransport.json(["RequestId": "r"]) }
      return FakeTransport.error(400, code: "NotFound.Certificate", message: "certificate not found")
    }
    let cas = try Fixtures.cas(transport, clock: TestClock(Fixtures.clientStart))
    do {
      _ = try await cas.getUserCertificateDetail(certId: 1)
      XCTFail("expected an error")
    } catch let error as AlibabaCloudError {
      XCTAssertTrue(error.apiCode?.hasPrefix("NotFound") ?? false)
    }
    try await cas.deleteUserCertificate(certId: 5, clientToken: "d")
    XCTAssertEqual(transport.requests.last?.parameters["CertId"], "5")
  }
}
