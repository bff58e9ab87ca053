import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Certificates that OpenSSL loads although an extension is duplicated or malformed (seen in zlint,
/// certificate-transparency and x509-limbo corpora): `scan` still reports their expiry, with a finding naming
/// the bad extension; strict parsing (the deploy path) still refuses them.
final class MalformedExtensionTests: XCTestCase {
  private struct Case {
    let name: String
    let der: [UInt8]
    let phrase: String
  }

  private func base() throws -> Certificate {
    var request = Fixtures.leafRequest("odd.example", dnsNames: ["odd.example", "www.odd.example"])
    request.extendedKeyUsages = ["serverAuth", "clientAuth"]
    return try CertificateFactory.issue(request, subjectKey: try DeterministicKeys.p256(7), issuer: nil)
  }

  private func cases() throws -> [Case] {
    let der = try base().der
    let san = try CertificateSurgery.extensionNode(der, oid: CertificateSurgery.subjectAltName)
    let eku = try CertificateSurgery.extensionNode(der, oid: CertificateSurgery.extendedKeyUsage)
    // GeneralNames { dNSName "ip8.odd.example", iPAddress of 8 bytes (an address and mask, as in name constraints) }
    let eightByteIP = DERNode.sequence([
      .primitive(0x82, Array("ip8.odd.example".utf8)), .primitive(0x87, [192, 0, 2, 0, 255, 255, 255, 0]),
    ]).encoded
    return [
      Case(
        name: "duplicate SAN", der: try CertificateSurgery.editExtensions(der) { $0.append(san) },
        phrase: "duplicate subjectAltName extension"),
      Case(
        name: "duplicate EKU", der: try CertificateSurgery.editExtensions(der) { $0.append(eku) },
        phrase: "duplicate extendedKeyUsage extension"),
      Case(
        name: "SAN that is not DER (x509-limbo rfc5280::san::malformed)",
        der: try CertificateSurgery.replaceExtension(
          der, oid: CertificateSurgery.subjectAltName, value: Array("odd.example".utf8)),
        phrase: "malformed subjectAltName extension"),
      Case(
        name: "8-byte IP SAN",
        der: try CertificateSurgery.replaceExtension(der, oid: CertificateSurgery.subjectAltName, value: eightByteIP),
        phrase: "subjectAltName IP address has 8 bytes (expected 4 or 16)"),
    ]
  }

  func testOpenSSLLoadsThemAndStrictParsingRefusesThemNamingTheExtension() throws {
    let directory = try TemporaryDirectory()
    for test in try cases() {
      let path = try directory.write("\(test.name).pem", CertificateSurgery.pem(test.der))
      let endDate = try OpenSSLTool.run(["x509", "-in", path, "-noout", "-enddate"])
      XCTAssertTrue(endDate.hasPrefix("notAfter="), "\(test.name): \(endDate)")
      XCTAssertThrowsError(try Certificate.parseAll(Array(CertificateSurgery.pem(test.der).utf8), source: path)) {
        XCTAssertTrue(String(describing: $0).contains(test.phrase), "\(test.name): \($0)")
      }
      XCTAssertThrowsError(try CertificateBundle.load(certificatePath: path, keyPath: nil)) {
        XCTAssertTrue(String(describing: $0).contains(test.phrase), "\(test.name): \($0)")
      }
    }
  }

  func testScanReportsTheirExpiryWithAFindingNamingTheBadExtension() throws {
    let directory = try TemporaryDirectory()
    let all = try cases()
    for test in all { try directory.write("\(test.name).pem", CertificateSurgery.pem(test.der)) }
    let report = CertificateScanner(workers: 2).scan([directory.url.path], now: Fixtures.now, policy: CheckPolicy())
    XCTAssertEqual(report.failures, [])
    XCTAssertEqual(report.entries.count, all.count)
    for test in all {
      let entry = try XCTUnwrap(report.entries.first { $0.source.hasSuffix("/\(test.name).pem") }, test.name)
      XCTAssertEqual(entry.daysRemaining, 80, test.name)
      XCTAssertEqual(entry.status, .ok, test.name)
      XCTAssertEqual(entry.findings.map(\.code), [.malformedExtension], test.name)
      XCTAssertTrue(entry.findings[0].message.contains(test.phrase), entry.findings[0].message)
    }
    print("malformed extensions: \(report.entries.count) certificates reported, \(report.counts.findings) findings")
    XCTAssertEqual(report.counts.findings, all.count)
    XCTAssertEqual(report.state, .warning, "a malformed extension raises the verdict to warning")
  }

  func testTolerantParsingKeepsWhatCanBeRead() throws {
    let all = try cases()
    let duplicateSAN = try Certificate.parseAll(all[0].der, source: "dup", tolerant: true)[0]
    XCTAssertEqual(duplicateSAN.dnsNames, ["odd.example", "www.odd.example", "odd.example", "www.odd.example"])
    XCTAssertEqual(duplicateSAN.malformedExtensions, ["duplicate subjectAltName extension"])
    let duplicateEKU = try Certificate.parseAll(all[1].der, source: "dup", tolerant: true)[0]
    XCTAssertEqual(duplicateEKU.dnsNames, ["odd.example", "www.odd.example"])
    XCTAssertNil(duplicateEKU.extendedKeyUsages)
    let eightByteIP = try Certificate.parseAll(all[3].der, source: "ip", tolerant: true)[0]
    XCTAssertEqual(eightByteIP.dnsNames, ["ip8.odd.example"])
    XCTAssertEqual(eightByteIP.ipAddresses, [])
    let wellFormed = try Certificate.parseAll(try base().der, source: "ok", tolerant: true)[0]
    XCTAssertEqual(wellFormed.malformedExtensions, [])
  }

  func testInspectFindingBlocksDeployment() throws {
    let certificate = try Certificate.parseAll(try cases()[0].der, source: "dup", tolerant: true)[0]
    let findings = CertificateChecker.check(chain: [certificate], key: nil, domains: [], now: Fixtures.now)
    XCTAssertEqual(findings.map(\.code), [.malformedExtension])
    XCTAssertFalse(CertificateChecker.isDeployable(findings))
  }

  /// Tolerant parsing walks duplicated extensions with raw OpenSSL pointers: mutated inputs (fixed seed) end in
  /// values or a clean error, as strict parsing does.
  func testMutatedMalformedCertificatesParseTolerantlyOrThrowCleanly() throws {
    let inputs = try cases().map(\.der)
    var mutator = Mutator(seed: 0x7011_E2A7)
    var parsed = 0
    var thrown = 0
    for _ in 0..<3_000 {
      let input = mutator.any(inputs[mutator.int(0..<inputs.count)], isPEM: false)
      do {
        let certificates = try Certificate.parseAll(input, source: "tolerant.der", tolerant: true)
        _ = certificates.map { NameChecks.findings($0, index: 0) }
        parsed += 1
      } catch let error as CertificateKitError {
        XCTAssertTrue(error.description.contains("tolerant.der"), error.description)
        thrown += 1
      }
    }
    print("tolerant mutations: \(parsed) parsed, \(thrown) rejected")
    XCTAssertEqual(parsed + thrown, 3_000)
    XCTAssertGreaterThan(parsed, 50)
  }
}
