import CertificateKit
import Foundation
import XCTest

/// The test target depends on the `certhook` product, so a missing binary is a failure, not a skip.
struct BinaryNotBuilt: Error, CustomStringConvertible {
  let description: String
}

/// Runs the built `certhook` binary and captures its output and exit status.
struct ScanCLIHarness {
  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  /// The `certhook` next to the test bundle (`.build/debug/certhook`), or `CERTHOOK_TEST_BINARY`.
  static func binary() throws -> URL {
    var candidates: [URL] = []
    if let override = ProcessInfo.processInfo.environment["CERTHOOK_TEST_BINARY"] {
      candidates.append(URL(fileURLWithPath: override))
    }
    for bundle in Bundle.allBundles {
      candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("certhook"))
    }
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    candidates.append(packageRoot.appendingPathComponent(".build/debug/certhook"))
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
      throw BinaryNotBuilt(description: "the certhook binary was not built (looked in \(candidates.map(\.path)))")
    }
    return found
  }

  /// Runs `certhook arguments...`; `environment` entries are added to a minimal environment.
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
    let process = Process()
    process.executableURL = try binary()
    process.arguments = arguments
    process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
    let directory = FileManager.default.temporaryDirectory
    let outURL = directory.appendingPathComponent("certhook-out-\(UUID().uuidString)")
    let errURL = directory.appendingPathComponent("certhook-err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
    }
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return Result(
      status: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }
}

/// Certificates for the CLI tests, issued relative to a fixed time by one test CA.
final class CLICertificates: Sendable {
  static let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
  static let nowText = "2027-01-15T08:00:00Z"
  static let shared = CLICertificates()

  let key: PrivateKey
  let otherKey: PrivateKey
  let caKey: PrivateKey
  let ca: Certificate

  private init() {
    do {
      key = try PrivateKey.generate(.ecP256)
      otherKey = try PrivateKey.generate(.ecP256)
      caKey = try PrivateKey.generate(.ecP256)
      ca = try CertificateFactory.issue(
        .init(
          commonName: "certhook CLI test CA", notBefore: Self.now - 86_400 * 30, notAfter: Self.now + 86_400 * 3650,
          isCA: true, pathLength: 0, extendedKeyUsages: nil),
        subjectKey: caKey, issuer: nil)
    } catch {
      fatalError("cannot make CLI fixtures: \(error)")
    }
  }

  /// A leaf for `name` (and `www.name`) expiring `days` after `now`.
  func leaf(_ name: String, days: Double, notBeforeDays: Double = -30, serverAuth: Bool = true) throws -> Certificate {
    try CertificateFactory.issue(
      .init(
        commonName: name, dnsNames: [name, "www." + name], notBefore: Self.now + notBeforeDays * 86_400,
        notAfter: Self.now + days * 86_400, extendedKeyUsages: serverAuth ? ["serverAuth"] : ["clientAuth"]),
      subjectKey: key, issuer: (ca, caKey))
  }
}

/// `certhook scan` through the binary: exit codes, JSON schema, Prometheus text, table order and colour.
final class ScanCLITests: XCTestCase {
  private var root = ""
  private let certs = CLICertificates.shared

  override func setUpWithError() throws {
    root = NSTemporaryDirectory() + "scancli-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: root)
  }

  @discardableResult
  private func write(_ relative: String, _ text: String) throws -> String {
    let path = root + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  private func scan(_ arguments: [String], environment: [String: String] = [:]) throws -> ScanCLIHarness.Result {
    try ScanCLIHarness.run(["scan", "--now", CLICertificates.nowText] + arguments, environment: environment)
  }

  func testExitCodes() throws {
    let ok = try write("ok/site.pem", try certs.leaf("ok.example", days: 90).pem)
    let warning = try write("warning/site.pem", try certs.leaf("warning.example", days: 20).pem)
    let critical = try write("critical/site.pem", try certs.leaf("critical.example", days: 5).pem)
    let expired = try write("expired/site.pem", try certs.leaf("expired.example", days: -2).pem)
    let future = try write("future/site.pem", try certs.leaf("future.example", days: 90, notBeforeDays: 2).pem)
    try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)

    XCTAssertEqual(try scan([ok]).status, 0)
    XCTAssertEqual(try scan([root + "/ok", "--format", "json"]).status, 0)
    XCTAssertEqual(try scan([warning]).status, 1)
    XCTAssertEqual(try scan([ok, root + "/missing.pem"]).status, 1, "read errors")
    XCTAssertEqual(try scan([critical]).status, 2)
    XCTAssertEqual(try scan([expired, ok]).status, 2)
    XCTAssertEqual(try scan([future]).status, 2)
    XCTAssertEqual(try scan([warning, "--warn-days", "10", "--critical-days", "5"]).status, 0)
    XCTAssertEqual(try scan([critical, "--critical-days", "3"]).status, 1)
    XCTAssertEqual(try scan([root + "/empty"]).status, 3, "nothing could be scanned")
    XCTAssertEqual(try scan([root + "/missing"]).status, 3)
    XCTAssertEqual(try scan([root + "/empty", "--format", "prometheus"]).status, 3)
    XCTAssertEqual(try scan([ok, "--format", "yaml"]).status, 64)
    XCTAssertEqual(try scan([ok, "--warn-days", "3", "--critical-days", "7"]).status, 64)
    XCTAssertEqual(try ScanCLIHarness.run(["scan", ok, "--now", "yesterday"]).status, 64)
    XCTAssertEqual(try ScanCLIHarness.run(["scan"]).status, 64)
  }

  func testJSONHasEveryDocumentedFieldWithItsType() throws {
    try write("a/bundle.pem", try certs.leaf("json.example", days: 45).pem + certs.ca.pem)
    try write("b/broken.pem", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
    let result = try scan([root, "--format", "json"])
    XCTAssertEqual(result.status, 1)
    let document = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    let certificates = try XCTUnwrap(document["certificates"] as? [[String: Any]])
    XCTAssertEqual(certificates.count, 2)
    let leaf = certificates[0]
    for key in [
      "path", "subject", "issuer", "serialNumber", "notBefore", "notAfter", "keyType", "sha1", "sha256", "status",
    ] {
      XCTAssertNotNil(leaf[key] as? String, "\(key) must be a string")
    }
    for key in ["index", "daysRemaining", "keyBits"] { XCTAssertNotNil(leaf[key] as? Int, "\(key) must be an integer") }
    for key in ["serverAuth", "isCA"] { XCTAssertTrue(leaf[key] is Bool, "\(key) must be a bool") }
    // Types as written (JSONSerialization bridges numbers and booleans loosely).
    XCTAssertTrue(result.stdout.contains("\"index\":0,"))
    XCTAssertTrue(result.stdout.contains("\"serverAuth\":true,\"isCA\":false,"))
    XCTAssertTrue(result.stdout.contains("\"keyBits\":256,"))
    for key in ["dnsNames", "ipAddresses", "extendedKeyUsages"] {
      XCTAssertNotNil(leaf[key] as? [String], "\(key) must be an array of strings")
    }
    XCTAssertEqual(leaf["path"] as? String, root + "/a/bundle.pem")
    XCTAssertEqual(leaf["index"] as? Int, 0)
    XCTAssertEqual(leaf["subject"] as? String, "CN=json.example")
    XCTAssertEqual(leaf["dnsNames"] as? [String], ["json.example", "www.json.example"])
    XCTAssertEqual(leaf["extendedKeyUsages"] as? [String], ["serverAuth"])
    XCTAssertEqual(leaf["serverAuth"] as? Bool, true)
    XCTAssertEqual(leaf["isCA"] as? Bool, false)
    XCTAssertEqual(leaf["keyType"] as? String, "EC")
    XCTAssertEqual(leaf["keyBits"] as? Int, 256)
    XCTAssertEqual(leaf["daysRemaining"] as? Int, 45)
    XCTAssertEqual(leaf["status"] as? String, "ok")
    XCTAssertEqual(leaf["notAfter"] as? String, "2027-03-01T08:00:00Z")
    XCTAssertEqual((leaf["sha256"] as? String)?.count, 64)
    XCTAssertEqual((leaf["sha1"] as? String)?.count, 40)
    let ca = certificates[1]
    XCTAssertEqual(ca["index"] as? Int, 1)
    XCTAssertEqual(ca["isCA"] as? Bool, true)
    XCTAssertTrue(ca["extendedKeyUsages"] is NSNull, "an absent EKU extension is null")
    XCTAssertEqual(ca["serverAuth"] as? Bool, true)

    let errors = try XCTUnwrap(document["errors"] as? [[String: Any]])
    XCTAssertEqual(errors.count, 1)
    XCTAssertEqual(errors.first?["path"] as? String, root + "/b/broken.pem")
    XCTAssertNotNil(errors.first?["message"] as? String)
    let summary = try XCTUnwrap(document["summary"] as? [String: Any])
    XCTAssertEqual(summary["certificates"] as? Int, 2)
    XCTAssertEqual(summary["ok"] as? Int, 2)
    XCTAssertEqual(summary["errors"] as? Int, 1)
    XCTAssertEqual(summary["exitCode"] as? Int, 1)
    XCTAssertEqual(summary["state"] as? String, "WARNING")
    XCTAssertEqual(summary["now"] as? String, CLICertificates.nowText)
    XCTAssertNotNil(summary["durationSeconds"] as? Double)
  }

  func testJSONEscapesPathsAndMessages() throws {
    let odd = "tab\there \"quoted\" back\\slash ünï"
    let path = try write("\(odd)/site.pem", try certs.leaf("escape.example", days: 90).pem)
    let result = try scan([root, "--format", "json"])
    XCTAssertEqual(result.status, 0, result.stdout)
    XCTAssertTrue(result.stdout.contains("tab\\there \\\"quoted\\\" back\\\\slash ünï"), result.stdout)
    let document = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    let certificates = try XCTUnwrap(document["certificates"] as? [[String: Any]])
    XCTAssertEqual(certificates.first?["path"] as? String, path)
  }

  func testFarDatesAreExactInJSONAndPrometheus() throws {
    let certificate = try CertificateFactory.issue(
      .init(
        commonName: "far.example", dnsNames: ["far.example"],
        notBefore: Date(timeIntervalSince1970: -662_688_000),  // 1949-01-01T00:00:00Z
        notAfter: Date(timeIntervalSince1970: 7_258_118_400),  // 2200-01-01T00:00:00Z
        serialNumber: [0x00, 0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]),
      subjectKey: certs.key, issuer: (certs.ca, certs.caKey))
    let path = try write("far.pem", certificate.pem)
    let json = try scan([path, "--format", "json"])
    XCTAssertEqual(json.status, 0)
    XCTAssertTrue(json.stdout.contains("\"notBefore\":\"1949-01-01T00:00:00Z\",\"notAfter\":\"2200-01-01T00:00:00Z\""))
    XCTAssertTrue(json.stdout.contains("\"serialNumber\":\"ffeeddccbbaa998877665544332211\""), json.stdout)
    let prometheus = try scan([path, "--format", "prometheus"])
    // x509-certificate-exporter writes serials in decimal (Go's big.Int).
    XCTAssertTrue(
      prometheus.stdout.contains("serial_number=\"1328880485197782561564485803532558865\""), prometheus.stdout)
    XCTAssertTrue(prometheus.stdout.contains("} 7258118400\n"))
    XCTAssertTrue(prometheus.stdout.contains("} -662688000\n"))
  }

  func testPrometheusTextfileFormat() throws {
    let odd = "we\"ird\\dir"
    let expired = try certs.leaf("expired.example", days: -1)
    try write("\(odd)/expired.pem", expired.pem)
    try write("good/site.pem", try certs.leaf("good.example", days: 10).pem + certs.ca.pem)
    try write("good/broken.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    let result = try scan([root, "--format", "prometheus"])
    XCTAssertEqual(result.status, 2)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    for metric in [
      "x509_cert_not_after", "x509_cert_not_before", "x509_cert_expired", "x509_cert_expires_in_seconds",
      "x509_cert_error", "x509_read_errors", "certhook_scan_duration_seconds",
    ] {
      XCTAssertTrue(lines.contains { $0.hasPrefix("# HELP \(metric) ") }, "HELP for \(metric)")
      XCTAssertTrue(lines.contains("# TYPE \(metric) gauge"), "TYPE for \(metric)")
    }
    let escapedPath = root + "/we\\\"ird\\\\dir/expired.pem"
    let serial = expired.serialNumber
    XCTAssertTrue(
      lines.contains(
        "x509_cert_expired{filepath=\"\(escapedPath)\",issuer_CN=\"certhook CLI test CA\","
          + "serial_number=\"\(decimal(serial))\",subject_CN=\"expired.example\"} 1"), result.stdout)
    XCTAssertTrue(
      lines.contains {
        $0.hasPrefix("x509_cert_expires_in_seconds{filepath=\"\(escapedPath)\"") && $0.hasSuffix("} -86400")
      }, result.stdout)
    XCTAssertTrue(
      lines.contains {
        $0.hasPrefix("x509_cert_not_after{filepath=\"\(root)/good/site.pem\"") && $0.hasSuffix("} 1800864000")
      }, result.stdout)
    XCTAssertEqual(lines.filter { $0.hasPrefix("x509_cert_not_after{") }.count, 3, "each certificate is a series")
    XCTAssertTrue(lines.contains("x509_cert_error{filepath=\"\(root)/good/broken.crt\"} 1"))
    XCTAssertTrue(lines.contains("x509_read_errors 1"))
    XCTAssertTrue(lines.contains { $0.hasPrefix("certhook_scan_duration_seconds ") })
    // Families are contiguous: each metric name appears in one block.
    var seenNames: [String] = []
    for line in lines where !line.hasPrefix("#") {
      let name = String(line.prefix { $0 != "{" && $0 != " " })
      if seenNames.last != name {
        XCTAssertFalse(seenNames.contains(name), "\(name) is split into several groups")
        seenNames.append(name)
      }
    }
  }

  func testTableIsSortedSoonestFirstAndColouredOnlyOnATerminal() throws {
    try write("a.pem", try certs.leaf("later.example", days: 300).pem)
    try write("b.pem", try certs.leaf("expired.example", days: -3).pem)
    try write("c.pem", try certs.leaf("soon.example", days: 12).pem)
    let result = try scan([root])
    XCTAssertEqual(result.status, 2)
    let rows = result.stdout.split(separator: "\n").map(String.init)
    XCTAssertTrue(rows.first?.hasPrefix("STATUS") ?? false, result.stdout)
    let names = rows.dropFirst().prefix(3).map { row in
      ["expired.example", "soon.example", "later.example"].first { row.contains($0) } ?? row
    }
    XCTAssertEqual(names, ["expired.example", "soon.example", "later.example"])
    XCTAssertTrue(rows[1].hasPrefix("EXPIRED"))
    XCTAssertTrue(rows[2].hasPrefix("WARNING"))
    XCTAssertFalse(result.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    XCTAssertTrue(result.stdout.contains("CRITICAL: 3 certificates"), result.stdout)

    guard TerminalRunner.available else { return }
    let binary = try ScanCLIHarness.binary().path
    let command = "\(binary) scan --now \(CLICertificates.nowText) \(root)"
    let onTerminal = try TerminalRunner.run(command, environment: [:])
    XCTAssertTrue(onTerminal.contains("\u{1B}[31m"), "red on a terminal: \(onTerminal)")
    let noColor = try TerminalRunner.run(command, environment: ["NO_COLOR": "1"])
    XCTAssertFalse(noColor.contains("\u{1B}[3"), "NO_COLOR disables colour")
    XCTAssertTrue(noColor.contains("expired.example"))
  }

  func testIncludeGlobsAndSymlinkPolicy() throws {
    try write("certs/site.pem", try certs.leaf("pem.example", days: 90).pem)
    try write("certs/site.crt", try certs.leaf("crt.example", days: 90).pem)
    try write("elsewhere/linked.pem", try certs.leaf("linked.example", days: 90).pem)
    try FileManager.default.createSymbolicLink(atPath: root + "/certs/dir", withDestinationPath: root + "/elsewhere")
    let globbed = try scan([root + "/certs", "--include", "*.crt", "--format", "json"])
    XCTAssertTrue(globbed.stdout.contains("crt.example"))
    XCTAssertFalse(globbed.stdout.contains("pem.example"))
    XCTAssertFalse(try scan([root + "/certs", "--format", "json"]).stdout.contains("linked.example"))
    XCTAssertTrue(
      try scan([root + "/certs", "--follow-symlinks", "--format", "json"]).stdout.contains("linked.example"))
  }

  /// Lowercase hex to decimal (the exporter's serial_number label), for serials of any length.
  private func decimal(_ hex: String) -> String {
    var digits: [Int] = [0]  // little-endian base 10
    for character in hex {
      guard let value = character.hexDigitValue else { return hex }
      var carry = value
      for position in digits.indices {
        let total = digits[position] * 16 + carry
        digits[position] = total % 10
        carry = total / 10
      }
      while carry > 0 {
        digits.append(carry % 10)
        carry /= 10
      }
    }
    return digits.reversed().map(String.init).joined()
  }
}
