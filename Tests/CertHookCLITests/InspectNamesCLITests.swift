import CertificateKit
import Foundation
import XCTest

/// `inspect` and `scan` through the binary (same fixtures as `InspectCLITests`) for what third-party corpora and
/// hostile inputs showed: Unicode domains, public suffixes, DNS-name findings, the deploy hook's size limit.
extension InspectCLITests {
  private func leaf(_ names: [String]) throws -> Certificate {
    try CertificateFactory.issue(
      .init(
        commonName: names[0], dnsNames: names, notBefore: CLICertificates.now - 86_400,
        notAfter: CLICertificates.now + 86_400 * 60),
      subjectKey: certs.key, issuer: (certs.ca, certs.caKey))
  }

  private func run(_ arguments: [String]) throws -> ScanCLIHarness.Result {
    try ScanCLIHarness.run([arguments[0], "--now", CLICertificates.nowText] + arguments.dropFirst())
  }

  private func json(_ result: ScanCLIHarness.Result) throws -> [String: Any] {
    try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
  }

  private func codes(_ findings: Any?) -> [String] {
    (findings as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
  }

  func testUnicodeDomainIsMatchedAsItsALabel() throws {
    let cert = try write("idn.pem", try leaf(["xn--bcher-kva.example"]).pem)
    let result = try run(["inspect", cert, "--domain", "bücher.example"])
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    XCTAssertTrue(result.stdout.contains("Domains  bücher.example (xn--bcher-kva.example)"), result.stdout)
    let other = try run(["inspect", cert, "--domain", "büch.example", "--json"])
    XCTAssertEqual(other.status, 1)
    XCTAssertEqual(codes(try json(other)["findings"]), ["domainNotCovered"])
    let tooLong = try run(["inspect", cert, "--domain", String(repeating: "ü", count: 70) + ".example"])
    XCTAssertEqual(tooLong.status, 64, tooLong.stderr)
    XCTAssertTrue(tooLong.stderr.contains("--domain"), tooLong.stderr)
  }

  func testWildcardOnAPublicSuffixWithAnInjectedList() throws {
    let list = try write("suffixes.dat", "// test list\nuk\nco.uk\n")
    let cert = try write("couk.pem", try leaf(["*.co.uk"]).pem)
    let result = try run(["inspect", cert, "--domain", "shop.co.uk", "--json", "--public-suffix-list", list])
    XCTAssertEqual(result.status, 1, result.stdout)
    XCTAssertEqual(codes(try json(result)["findings"]), ["wildcardOnPublicSuffix", "domainNotCovered"])

    let wildcard = try write("wild.pem", try leaf(["*.wild.example"]).pem)
    let missing = root + "/no-such-list.dat"
    let fallback = try run(["inspect", wildcard, "--domain", "a.wild.example", "--public-suffix-list", missing])
    XCTAssertEqual(fallback.status, 0, fallback.stdout)
    XCTAssertTrue(fallback.stdout.contains("publicSuffixListUnavailable"), fallback.stdout)
    XCTAssertTrue(
      fallback.stdout.contains("no-such-list.dat is missing (install Debian's publicsuffix"), fallback.stdout)
  }

  /// Today `inspect` called a 50 MB file fit to deploy while the hook refused it: one limit, one message.
  func testInspectRefusesAFileTheHookRefuses() throws {
    let path = try write("big.pem", try leaf(["big.example"]).pem)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.truncate(atOffset: 50 * 1024 * 1024)
    try handle.close()
    let result = try run(["inspect", path])
    XCTAssertEqual(result.status, 1, result.stdout)
    let hookMessage =
      "\(CertificateKitError.unreadableFile(path: path, reason: CertificateFile.tooLargeReason(50 << 20)))"
    XCTAssertTrue(result.stderr.contains(hookMessage), result.stderr)
    XCTAssertThrowsError(try CertificateBundle.load(certificatePath: path, keyPath: nil)) {
      XCTAssertEqual("\($0)", hookMessage)
    }
    let asJSON = try run(["inspect", path, "--json"])
    XCTAssertEqual(try json(asJSON)["deployable"] as? Bool, false)
  }

  func testScanShowsDNSNameFindings() throws {
    try write("names.pem", try leaf(["names.example", "my_host.names.example", "bad!name.example"]).pem)
    let result = try run(["scan", root, "--format", "json"])
    XCTAssertEqual(result.status, 1, "an invalid DNS name is a warning: \(result.stdout)")
    let document = try json(result)
    let certificate = try XCTUnwrap((document["certificates"] as? [[String: Any]])?.first)
    XCTAssertEqual(codes(certificate["findings"]), ["underscoreInDNSName", "invalidDNSName"])
    XCTAssertEqual((document["summary"] as? [String: Any])?["findings"] as? Int, 2)
    XCTAssertTrue(result.stdout.contains("\"status\":\"ok\",\"findings\":[{\"code\":\"underscoreInDNSName\""))

    let table = try run(["scan", root])
    XCTAssertEqual(table.status, 1)
    XCTAssertTrue(table.stdout.contains("0 errors; 2 findings;"), table.stdout)
    XCTAssertTrue(table.stderr.contains("note: \(root)/names.pem: underscoreInDNSName:"), table.stderr)
    XCTAssertTrue(table.stderr.contains("warning: \(root)/names.pem: invalidDNSName:"), table.stderr)
  }

  /// A certificate that OpenSSL makes and loads with an 8-byte IP SAN (an address and mask): `scan` reports its
  /// expiry with a finding naming the extension, `inspect` shows it and refuses it.
  func testMalformedExtensionThroughTheBinary() throws {
    // GeneralNames { dNSName "ip8.odd.example", iPAddress 192.0.2.0 255.255.255.0 }
    let san: [UInt8] =
      [0x30, 0x1B, 0x82, 0x0F] + Array("ip8.odd.example".utf8) + [0x87, 8, 192, 0, 2, 0, 255, 255, 255, 0]
    let path = root + "/ip8.pem"
    let openssl = Process()
    openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    openssl.arguments = [
      "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
      root + "/ip8.key", "-out", path, "-subj", "/CN=ip8.odd.example", "-days", "30", "-addext",
      "2.5.29.17=DER:" + san.map { String(format: "%02X", $0) }.joined(separator: ":"), "-addext",
      "basicConstraints=critical,CA:FALSE",
    ]
    openssl.standardError = FileHandle.nullDevice
    try openssl.run()
    openssl.waitUntilExit()
    XCTAssertEqual(openssl.terminationStatus, 0)

    let scanned = try ScanCLIHarness.run(["scan", path, "--format", "json"])
    XCTAssertEqual(scanned.status, 1, scanned.stdout + scanned.stderr)
    let document = try json(scanned)
    XCTAssertEqual((document["errors"] as? [Any])?.count, 0)
    let certificate = try XCTUnwrap((document["certificates"] as? [[String: Any]])?.first, scanned.stdout)
    XCTAssertEqual(certificate["dnsNames"] as? [String], ["ip8.odd.example"])
    XCTAssertNotNil(certificate["notAfter"] as? String)
    XCTAssertEqual(codes(certificate["findings"]), ["malformedExtension"])
    XCTAssertTrue(scanned.stdout.contains("subjectAltName IP address has 8 bytes (expected 4 or 16)"))

    let inspected = try ScanCLIHarness.run(["inspect", path])
    XCTAssertEqual(inspected.status, 1, inspected.stdout + inspected.stderr)
    XCTAssertTrue(inspected.stdout.contains("Certificate 1 of 1 (leaf)"), inspected.stdout)
    XCTAssertTrue(inspected.stdout.contains("malformedExtension: "), inspected.stdout)
    XCTAssertTrue(inspected.stdout.contains("Result: NOT fit to deploy (1 blocking finding(s))"), inspected.stdout)
  }
}
