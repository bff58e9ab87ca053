import CertificateKit
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// CAS: upload, list, detail, delete.
final class CASTests: XCTestCase {
  func start() async throws -> EmulatorHarness {
    let harness = try await EmulatorHarness.start()
    addTeardownBlock { await harness.stop() }
    return harness
  }

  func testUploadComputesWhatCASShows() async throws {
    let h = try await start()
    let pem = try Fixtures.issue(domains: ["www.example.test", "example.test"], now: h.clock.now, days: 90)
    let leaf = try XCTUnwrap(Certificate.parseAll(Array(pem.cert.utf8), source: "test").first)
    let up = try await h.call("UploadUserCertificate", [("Name", "www-2026"), ("Cert", pem.cert), ("Key", pem.key)])
    XCTAssertEqual(up.status, 200, up.message)
    let certId = try XCTUnwrap(up.int("CertId"))
    XCTAssertTrue(up.string("ResourceId")?.hasPrefix("cas-upload-") ?? false)
    let second = try await h.upload(name: "second", domains: ["b.example.test"])
    XCTAssertGreaterThan(second.certId, certId, "CertId increases")

    let detail = try await h.call("GetUserCertificateDetail", [("CertId", String(certId))])
    XCTAssertEqual(detail.status, 200, detail.message)
    XCTAssertEqual(detail.int("Id"), certId)
    XCTAssertEqual(detail.string("Name"), "www-2026")
    XCTAssertEqual(detail.string("Common"), "www.example.test")
    XCTAssertEqual(detail.string("Sans"), "www.example.test,example.test")
    XCTAssertEqual(detail.string("Fingerprint"), leaf.sha1Fingerprint)
    XCTAssertEqual(detail.string("Fingerprint")?.count, 40)
    XCTAssertEqual(detail.string("Fingerprint"), detail.string("Fingerprint")?.uppercased())
    XCTAssertEqual(detail.string("Sha2"), leaf.sha256Fingerprint)
    XCTAssertEqual(detail.string("SerialNo"), leaf.serialNumber)
    XCTAssertEqual(detail.string("SerialNo"), detail.string("SerialNo")?.lowercased())
    XCTAssertEqual(detail.string("StartDate"), "2026-02-28")  // one hour before the reference midnight
    XCTAssertEqual(detail.string("EndDate"), "2026-05-30")
    XCTAssertEqual(
      (detail.json["NotAfter"] as? NSNumber)?.int64Value, Int64(leaf.notAfter.timeIntervalSince1970 * 1000))
    XCTAssertEqual(
      (detail.json["NotBefore"] as? NSNumber)?.int64Value, Int64(leaf.notBefore.timeIntervalSince1970 * 1000))
    XCTAssertEqual(detail.json["Expired"] as? Bool, false)
    XCTAssertEqual(detail.string("Issuer"), "www.example.test")
    XCTAssertEqual(detail.string("CertIdentifier"), "\(certId)-cn-hangzhou")
    XCTAssertEqual(detail.string("Algorithm"), "ECC")
    XCTAssertEqual(detail.string("Cert"), pem.cert)
    XCTAssertEqual(detail.string("Key"), pem.key)

    let filtered = try await h.call("GetUserCertificateDetail", [("CertId", String(certId)), ("CertFilter", "True")])
    XCTAssertEqual(filtered.status, 200)
    XCTAssertNil(filtered.json["Cert"])
    XCTAssertNil(filtered.json["Key"])
    XCTAssertEqual(filtered.string("Fingerprint"), leaf.sha1Fingerprint)
  }

  func testUploadErrors() async throws {
    let h = try await start()
    let pem = try Fixtures.issue(domains: ["a.example.test"], now: h.clock.now)
    let other = try Fixtures.issue(domains: ["b.example.test"], now: h.clock.now)
    let mismatch = try await h.call("UploadUserCertificate", [("Name", "x"), ("Cert", pem.cert), ("Key", other.key)])
    XCTAssertEqual(mismatch.status, 400)
    XCTAssertEqual(mismatch.code, "InvalidParameter.KeyMismatch")
    XCTAssertFalse(mismatch.message.contains("PRIVATE KEY"))
    let malformed = try await h.call(
      "UploadUserCertificate",
      [("Name", "x"), ("Cert", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), ("Key", pem.key)])
    XCTAssertEqual(malformed.status, 400)
    XCTAssertEqual(malformed.code, "InvalidParameter.Cert")
    let badKey = try await h.call("UploadUserCertificate", [("Name", "x"), ("Cert", pem.cert), ("Key", "not a key")])
    XCTAssertEqual(badKey.code, "InvalidParameter.Key")
    // Issue 9: Name is optional on upload (the SDK model), so the missing parameter here is Key.
    let missing = try await h.call("UploadUserCertificate", [("Name", "no-key"), ("Cert", pem.cert)])
    XCTAssertEqual(missing.code, "MissingParameter")
    let r1 = try await h.call("UploadUserCertificate", [("Name", "dup"), ("Cert", pem.cert), ("Key", pem.key)])
    XCTAssertEqual(r1.status, 200)
    let dup = try await h.call("UploadUserCertificate", [("Name", "dup"), ("Cert", other.cert), ("Key", other.key)])
    XCTAssertEqual(dup.status, 400)
    XCTAssertEqual(dup.code, "NameRepeat")
    XCTAssertEqual(dup.message, "The certificate name already exists.")
    let state = await h.server.state()
    XCTAssertEqual(state.certificates.filter { !$0.generated }.map { $0.name }, ["dup"])
  }

  func testUploadWithClientTokenAppliesOnce() async throws {
    let h = try await start()
    let pem = try Fixtures.issue(domains: ["a.example.test"], now: h.clock.now)
    let params = [("Name", "once"), ("Cert", pem.cert), ("Key", pem.key), ("ClientToken", "tok-1")]
    let first = try await h.call("UploadUserCertificate", params)
    let again = try await h.call("UploadUserCertificate", params)
    XCTAssertEqual(first.status, 200)
    XCTAssertEqual(again.status, 200, again.message)
    XCTAssertEqual(first.int("CertId"), again.int("CertId"))
    let log = await h.server.requestLog()
    XCTAssertEqual(log.map { $0.replayed }, [false, true])
  }

  func testListPagingKeywordAndStatusFilter() async throws {
    let h = try await start()
    for i in 1...5 {
      _ = try await h.upload(name: "site-\(i)", domains: ["site\(i).example.test"])
    }
    _ = try await h.upload(name: "soon", domains: ["soon.example.test"], days: 10)
    let expired = try Fixtures.issue(
      domains: ["old.example.test"], now: h.clock.now.addingTimeInterval(-200 * 86_400), days: 100)
    let r2 = try await h.call("UploadUserCertificate", [("Name", "old"), ("Cert", expired.cert), ("Key", expired.key)])
    XCTAssertEqual(r2.status, 200)

    let cpack = try await h.call("ListUserCertificateOrder")
    XCTAssertEqual(cpack.int("TotalCount"), 0, "the default order type CPACK lists no uploads")

    let page1 = try await h.call(
      "ListUserCertificateOrder", [("OrderType", "UPLOAD"), ("ShowSize", "4"), ("CurrentPage", "1")])
    XCTAssertEqual(page1.status, 200, page1.message)
    // Generated listener defaults (2) + 5 sites + "soon"; the expired one is hidden without Status.
    XCTAssertEqual(page1.int("TotalCount"), 8)
    XCTAssertEqual(page1.array("CertificateOrderList").count, 4)
    XCTAssertEqual(page1.int("ShowSize"), 4)
    let page2 = try await h.call(
      "ListUserCertificateOrder", [("OrderType", "UPLOAD"), ("ShowSize", "4"), ("CurrentPage", "2")])
    XCTAssertEqual(page2.array("CertificateOrderList").count, 4)
    XCTAssertEqual(page2.int("CurrentPage"), 2)
    let names = (page1.array("CertificateOrderList") + page2.array("CertificateOrderList")).compactMap {
      $0["Name"] as? String
    }
    XCTAssertEqual(Set(names).count, 8)
    XCTAssertFalse(names.contains("old"))

    let keyword = try await h.call("ListUserCertificateOrder", [("OrderType", "CERT"), ("Keyword", "SITE3.example")])
    XCTAssertEqual(keyword.array("CertificateOrderList").compactMap { $0["Name"] as? String }, ["site-3"])
    let entry = try XCTUnwrap(keyword.array("CertificateOrderList").first)
    XCTAssertEqual(entry["Sans"] as? String, "site3.example.test")
    XCTAssertEqual(entry["Upload"] as? Bool, true)
    XCTAssertEqual((entry["Fingerprint"] as? String)?.count, 40)

    let expiredList = try await h.call("ListUserCertificateOrder", [("OrderType", "CERT"), ("Status", "EXPIRED")])
    XCTAssertEqual(expiredList.array("CertificateOrderList").compactMap { $0["Name"] as? String }, ["old"])
    XCTAssertEqual(expiredList.array("CertificateOrderList").first?["Expired"] as? Bool, true)
    let willExpire = try await h.call("ListUserCertificateOrder", [("OrderType", "CERT"), ("Status", "WILLEXPIRED")])
    XCTAssertEqual(willExpire.array("CertificateOrderList").compactMap { $0["Name"] as? String }, ["soon"])
  }

  func testDetailAndDeleteErrors() async throws {
    let h = try await start()
    let unknown = try await h.call("GetUserCertificateDetail", [("CertId", "999")])
    XCTAssertTrue(unknown.code?.hasPrefix("NotFound") ?? false, unknown.code ?? "")
    let deleteUnknown = try await h.call("DeleteUserCertificate", [("CertId", "999")])
    XCTAssertTrue(deleteUnknown.code?.hasPrefix("NotFound") ?? false)

    let state = await h.server.state()
    let inUse = try XCTUnwrap(state.certificates.first { $0.usedBy == ["lsr-emulator-443"] })
    let refused = try await h.call("DeleteUserCertificate", [("CertId", String(inUse.certId))])
    XCTAssertEqual(refused.status, 400)
    XCTAssertEqual(refused.code, "OperationDenied.CertificateInUse")

    let cert = try await h.upload(name: "spare", domains: ["spare.example.test"])
    let r3 = try await h.call("DeleteUserCertificate", [("CertId", String(cert.certId))])
    XCTAssertEqual(r3.status, 200)
    let r4 = try await h.call("GetUserCertificateDetail", [("CertId", String(cert.certId))])
    XCTAssertTrue(r4.code?.hasPrefix("NotFound") ?? false)
    let events = await h.server.events()
    XCTAssertEqual(events.last?.kind, .casDeleted)
    XCTAssertEqual(events.last?.certificateId, cert.identifier)
  }
}
