import CertificateKit
import Foundation
import XCTest

/// The packed certificate summary gives back exactly what it was given.
final class ScanSummaryTests: XCTestCase {
  private func summary(
    subjectCommonName: String?, issuerCommonName: String?, dnsNames: [String], ipAddresses: [String],
    extendedKeyUsages: [String]?, sha1: String, sha256: String
  ) -> CertificateSummary {
    CertificateSummary(
      subject: "CN=a\\,b,O=Ünïcode Ltd", subjectCommonName: subjectCommonName, issuer: "",
      issuerCommonName: issuerCommonName,
      serialNumber: "0", notBefore: Date(timeIntervalSince1970: -1e10), notAfter: Date(timeIntervalSince1970: 7e9),
      dnsNames: dnsNames, ipAddresses: ipAddresses, extendedKeyUsages: extendedKeyUsages, serverAuth: false, isCA: true,
      keyType: "Ed25519", keyBits: 253, sha1: sha1, sha256: sha256)
  }

  func testRoundTripsEveryField() {
    let long = String(repeating: "x", count: 70_000)
    let value = summary(
      subjectCommonName: long, issuerCommonName: nil, dnsNames: ["a.example", "", "*.b.example"], ipAddresses: [],
      extendedKeyUsages: ["serverAuth", "1.2.3.4"], sha1: "00ff10AB", sha256: String(repeating: "AB", count: 32))
    XCTAssertEqual(value.subject, "CN=a\\,b,O=Ünïcode Ltd")
    XCTAssertEqual(value.subjectCommonName, long)
    XCTAssertEqual(value.issuer, "")
    XCTAssertNil(value.issuerCommonName)
    XCTAssertEqual(value.serialNumber, "0")
    XCTAssertEqual(value.dnsNames, ["a.example", "", "*.b.example"])
    XCTAssertEqual(value.ipAddresses, [])
    XCTAssertEqual(value.extendedKeyUsages, ["serverAuth", "1.2.3.4"])
    XCTAssertEqual(value.keyType, "Ed25519")
    XCTAssertEqual(value.keyBits, 253)
    XCTAssertEqual(value.sha1, "00FF10AB", "fingerprints come back uppercase")
    XCTAssertEqual(value.sha256, String(repeating: "AB", count: 32))
    XCTAssertEqual(value.notBefore, Date(timeIntervalSince1970: -1e10))
    XCTAssertFalse(value.serverAuth)
    XCTAssertTrue(value.isCA)
  }

  func testAbsentListsAndNonHexFingerprintsSurvive() {
    let value = summary(
      subjectCommonName: nil, issuerCommonName: "CA", dnsNames: [], ipAddresses: ["192.0.2.1", "2001:db8::1"],
      extendedKeyUsages: nil, sha1: "not hex", sha256: "ABC")
    XCTAssertNil(value.subjectCommonName)
    XCTAssertEqual(value.issuerCommonName, "CA")
    XCTAssertNil(value.extendedKeyUsages, "absent stays distinct from empty")
    XCTAssertEqual(value.ipAddresses, ["192.0.2.1", "2001:db8::1"])
    XCTAssertEqual(value.sha1, "not hex")
    XCTAssertEqual(value.sha256, "ABC")
    let empty = summary(
      subjectCommonName: nil, issuerCommonName: nil, dnsNames: [], ipAddresses: [], extendedKeyUsages: [],
      sha1: "", sha256: "")
    XCTAssertEqual(empty.extendedKeyUsages, [])
    XCTAssertNotEqual(empty, value)
  }

  func testTallyFollowsTheMonitoringConvention() {
    let base = summary(
      subjectCommonName: nil, issuerCommonName: nil, dnsNames: [], ipAddresses: [], extendedKeyUsages: nil,
      sha1: "", sha256: "")
    func entry(_ status: ExpiryStatus) -> CertificateReportEntry {
      CertificateReportEntry(source: "x", index: 0, certificate: base, status: status, daysRemaining: 1)
    }
    var tally = ScanTally()
    XCTAssertEqual(tally.state, .unknown)
    tally.add(ScanFailure(path: "p", message: "m"))
    XCTAssertEqual(tally.state, .unknown, "failures alone: nothing was scanned")
    tally.add(entry(.ok))
    XCTAssertEqual(tally.state, .warning, "a read error on top of good certificates is a warning")
    var clean = ScanTally()
    clean.add(entry(.ok))
    XCTAssertEqual(clean.state, .ok)
    clean.add(entry(.warning))
    XCTAssertEqual(clean.state, .warning)
    clean.add(entry(.notYetValid))
    XCTAssertEqual(clean.state, .critical)
    XCTAssertEqual(clean.counts.certificates, 3)
    XCTAssertEqual(clean.counts.notYetValid, 1)
    XCTAssertEqual(MonitoringState.of(.critical), .critical)
    XCTAssertEqual(MonitoringState.of(.expired), .critical)
  }
}
