import CertificateKit
import Foundation
import XCTest

final class SmokeTests: XCTestCase {
  func testIssueAndParse() throws {
    let key = try PrivateKey.generate(.ecP256)
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let request = CertificateFactory.Request(
      commonName: "example.com", dnsNames: ["example.com", "*.example.com"], ipAddresses: ["192.0.2.1", "2001:db8::1"],
      notBefore: now, notAfter: now.addingTimeInterval(86_400 * 90))
    let certificate = try CertificateFactory.issue(request, subjectKey: key, issuer: nil)
    print(certificate.subject, certificate.serialNumber, certificate.notBefore, certificate.notAfter, certificate.dnsNames,
      certificate.ipAddresses, certificate.keyUsage?.names as Any, certificate.extendedKeyUsages as Any, certificate.isCA,
      certificate.publicKey, certificate.signatureAlgorithm, certificate.sha256Fingerprint, certificate.spkiSHA256)
    XCTAssertTrue(key.matches(certificate))
    let parsed = try Certificate.parseAll(Array(certificate.pem.utf8), source: "x.pem")
    XCTAssertEqual(parsed, [certificate])
    print(key)
  }
}
