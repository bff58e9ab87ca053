import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Every `Certificate` field agrees with what `openssl x509` shows.
final class CertificateFieldsTests: XCTestCase {
  private func compare(_ certificate: Certificate, file: StaticString = #filePath, line: UInt = #line) throws {
    try FieldComparison.assertMatchesOpenSSL(certificate, file: file, line: line)
  }

  func testRSALeafWithIPAndWildcardSANs() throws {
    var request = Fixtures.leafRequest("shop.example.com", dnsNames: ["shop.example.com", "*.shop.example.com"])
    request.ipAddresses = ["192.0.2.10", "2001:db8::1", "::1", "2001:db8:0:0:1:0:0:1"]
    request.emailAddresses = ["ops@example.com"]
    request.uris = ["https://example.com/a"]
    request.organization = "Example Ltd"
    request.serialNumber = [0x00, 0x00, 0x0A, 0xBC]
    let certificate = try CertificateFactory.issue(request, subjectKey: try Fixtures.key(Fixtures.rsaKey), issuer: nil)
    try compare(certificate)
    XCTAssertEqual(certificate.serialNumber, "abc")
    XCTAssertEqual(certificate.subject.commonName, "shop.example.com")
    XCTAssertEqual(certificate.subject.rfc4514, "CN=shop.example.com,O=Example Ltd")
    XCTAssertEqual(certificate.ipAddresses, ["192.0.2.10", "2001:db8::1", "::1", "2001:db8::1:0:0:1"])
    XCTAssertEqual(certificate.publicKey, PublicKeyDescription(algorithm: .rsa, bits: 2048, curve: nil))
    XCTAssertEqual(certificate.keyUsage, [.digitalSignature, .keyEncipherment])
    XCTAssertEqual(certificate.signatureAlgorithm, "sha256WithRSAEncryption")
    XCTAssertTrue(certificate.isSelfIssued)
    XCTAssertTrue(certificate.isServerAuthUsable)
  }

  func testECLeafIssuedByChain() throws {
    let chain = try Fixtures.chain()
    try compare(chain.leaf)
    try compare(chain.intermediate)
    try compare(chain.root)
    XCTAssertEqual(chain.leaf.publicKey, PublicKeyDescription(algorithm: .ec, bits: 256, curve: "P-256"))
    XCTAssertEqual(chain.leaf.signatureAlgorithm, "ecdsa-with-SHA256")
    XCTAssertEqual(chain.leaf.issuer, chain.intermediate.subject)
    XCTAssertEqual(chain.intermediate.issuer.commonName, "Test Root")
    XCTAssertTrue(chain.intermediate.isCA)
    XCTAssertEqual(chain.intermediate.pathLength, 0)
    XCTAssertEqual(chain.root.pathLength, nil)
    XCTAssertEqual(chain.root.keyUsage, [.digitalSignature, .keyCertSign, .cRLSign])
    XCTAssertNil(chain.root.extendedKeyUsages)
    XCTAssertFalse(chain.leaf.isSelfIssued)
  }

  func testP384AndEd25519Keys() throws {
    let p384 = try PrivateKey.generate(.ecP384)
    let ec = try CertificateFactory.issue(Fixtures.leafRequest(), subjectKey: p384, issuer: nil)
    try compare(ec)
    XCTAssertEqual(ec.publicKey, PublicKeyDescription(algorithm: .ec, bits: 384, curve: "P-384"))
    let ed = try CertificateFactory.issue(
      Fixtures.leafRequest(), subjectKey: try Fixtures.key(Fixtures.edKey), issuer: nil)
    try compare(ed)
    XCTAssertEqual(ed.publicKey.algorithm, .ed25519)
    XCTAssertEqual(ed.signatureAlgorithm, "ED25519")
  }

  func testNoSANAndEKUVariants() throws {
    let key = try Fixtures.key(Fixtures.ecKey)
    var request = Fixtures.leafRequest("no-san")
    request.dnsNames = []
    request.extendedKeyUsages = [
      "clientAuth", "codeSigning", "emailProtection", "timeStamping", "OCSPSigning", "1.3.6.1.4.1.99999.1",
    ]
    let noSAN = try CertificateFactory.issue(request, subjectKey: key, issuer: nil)
    try compare(noSAN)
    XCTAssertEqual(noSAN.dnsNames, [])
    XCTAssertEqual(
      noSAN.extendedKeyUsages,
      ["clientAuth", "codeSigning", "emailProtection", "timeStamping", "OCSPSigning", "1.3.6.1.4.1.99999.1"])
    XCTAssertFalse(noSAN.isServerAuthUsable)

    request.extendedKeyUsages = ["anyExtendedKeyUsage"]
    request.keyUsage = [.contentCommitment, .dataEncipherment, .keyAgreement, .encipherOnly, .decipherOnly]
    let any = try CertificateFactory.issue(request, subjectKey: key, issuer: nil)
    try compare(any)
    XCTAssertTrue(any.isServerAuthUsable)
    XCTAssertEqual(any.keyUsage, [.contentCommitment, .dataEncipherment, .keyAgreement, .encipherOnly, .decipherOnly])

    request.extendedKeyUsages = nil
    request.keyUsage = []
    let none = try CertificateFactory.issue(request, subjectKey: key, issuer: nil)
    try compare(none)
    XCTAssertNil(none.extendedKeyUsages)
    XCTAssertNil(none.keyUsage)
    XCTAssertTrue(none.isServerAuthUsable)
  }

  func testDatesFarInThePastAndFuture() throws {
    let key = try Fixtures.key(Fixtures.ecKey)
    // Epoch seconds computed with GNU date(1).
    let cases: [(Int, Int)] = [
      (-62_135_596_800, 253_402_300_799),  // 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59Z
      (-941_541_904, 7_263_216_000),  // 1940-03-01T12:34:56Z ... 2200-03-01T00:00:00Z
      (-631_152_001, 2_524_608_000),  // 1949-12-31T23:59:59Z ... 2050-01-01T00:00:00Z
      (-631_152_000, 2_524_607_999),  // 1950-01-01T00:00:00Z ... 2049-12-31T23:59:59Z
    ]
    for (before, after) in cases {
      var request = Fixtures.leafRequest()
      request.notBefore = Date(timeIntervalSince1970: TimeInterval(before))
      request.notAfter = Date(timeIntervalSince1970: TimeInterval(after))
      let certificate = try CertificateFactory.issue(request, subjectKey: key, issuer: nil)
      XCTAssertEqual(certificate.notBefore.timeIntervalSince1970, TimeInterval(before))
      XCTAssertEqual(certificate.notAfter.timeIntervalSince1970, TimeInterval(after))
      try compare(certificate)
    }
    XCTAssertEqual(TimestampText.rfc3339(Date(timeIntervalSince1970: -62_135_596_800)), "0001-01-01T00:00:00Z")
    XCTAssertEqual(TimestampText.rfc3339(Date(timeIntervalSince1970: 7_263_216_000)), "2200-03-01T00:00:00Z")
  }

  func testSerialNumbers() throws {
    let key = try Fixtures.key(Fixtures.ecKey)
    for (bytes, expected) in [
      ([UInt8(0)], "0"), ([0x01], "1"), ([0x00, 0x80, 0x00], "8000"),
      ([0x7F] + [UInt8](repeating: 0xFF, count: 19), "7f" + String(repeating: "ff", count: 19)),
    ] {
      var request = Fixtures.leafRequest()
      request.serialNumber = bytes
      let certificate = try CertificateFactory.issue(request, subjectKey: key, issuer: nil)
      XCTAssertEqual(certificate.serialNumber, expected)
      try compare(certificate)
    }
  }

  func testUTF8NamesAreKept() throws {
    var request = Fixtures.leafRequest("bücher.example")
    request.dnsNames = ["xn--bcher-kva.example"]
    request.organization = "Grüße, \"Quote\" GmbH"
    let certificate = try CertificateFactory.issue(request, subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: nil)
    try compare(certificate)
    XCTAssertEqual(certificate.subject.commonName, "bücher.example")
  }

  func testDerivedFieldsAndPEMRoundTrip() throws {
    let certificate = try CertificateFactory.issue(
      Fixtures.leafRequest(), subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: nil)
    XCTAssertEqual(certificate.sha1Fingerprint.count, 40)
    XCTAssertEqual(certificate.sha256Fingerprint.count, 64)
    XCTAssertEqual(certificate.sha256Fingerprint, certificate.sha256Fingerprint.uppercased())
    let pem = certificate.pem
    XCTAssertTrue(pem.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
    XCTAssertTrue(pem.hasSuffix("\n-----END CERTIFICATE-----\n"))
    let bodyLines = pem.split(separator: "\n").dropFirst().dropLast()
    XCTAssertTrue(bodyLines.dropLast().allSatisfy { $0.count == 64 })
    XCTAssertEqual(try Certificate(derEncoded: certificate.der), certificate)
    XCTAssertEqual(certificate.daysRemaining(now: Fixtures.now), 80)
    XCTAssertEqual(certificate.daysRemaining(now: Fixtures.now + 80 * Fixtures.day + 1), -1)
    XCTAssertEqual(certificate.daysRemaining(now: Fixtures.now + 79 * Fixtures.day + 1), 0)
  }

  func testConcurrentParsingGivesIdenticalResults() throws {
    let chain = try Fixtures.chain()
    let inputs = [chain.leaf, chain.intermediate, chain.root]
    let results = ConcurrentResults()
    DispatchQueue.concurrentPerform(iterations: 300) { index in
      let certificate = inputs[index % 3]
      let parsed = try? Certificate.parseAll(Array(certificate.pem.utf8), source: "t")
      results.record(parsed?.first == certificate && parsed?.first?.subject == certificate.subject)
    }
    XCTAssertEqual(results.failures, 0)
  }
}

/// Thread-safe failure counter.
final class ConcurrentResults: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func record(_ ok: Bool) {
    lock.lock()
    if !ok { count += 1 }
    lock.unlock()
  }
  var failures: Int {
    lock.lock()
    defer { lock.unlock() }
    return count
  }
}

/// Real-world certificates: a spread of the system's CA bundle (skipped when the machine has none).
final class SystemBundleFieldsTests: XCTestCase {
  func testSystemCACertificatesMatchOpenSSL() throws {
    let path = "/etc/ssl/certs/ca-certificates.crt"
    guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("no \(path)") }
    let certificates = try Certificate.parseAll(Array(data), source: path)
    let text = String(decoding: data, as: UTF8.self)
    XCTAssertEqual(certificates.count, text.components(separatedBy: "-----BEGIN CERTIFICATE-----").count - 1)
    let step = max(1, certificates.count / 6)
    for certificate in stride(from: 0, to: certificates.count, by: step).map({ certificates[$0] }) {
      try FieldComparison.assertMatchesOpenSSL(certificate)
    }
  }
}
