import CertificateKit
import Foundation
import XCTest

/// The scanner end to end on generated trees: statuses, skipping, failures, certbot dedupe, ordering.
final class ScanScannerTests: XCTestCase {
  private let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
  private var root = ""
  private static let fixtures = ScanFixtures()

  override func setUpWithError() throws {
    root = NSTemporaryDirectory() + "scanscanner-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: root)
  }

  private func write(_ relative: String, _ bytes: [UInt8]) throws {
    let path = root + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  private func write(_ relative: String, _ text: String) throws { try write(relative, Array(text.utf8)) }

  private func leaf(days: Double, notBeforeDays: Double = -30, name: String = "site.example") throws -> Certificate {
    try Self.fixtures.leaf(name: name, notBefore: now + notBeforeDays * 86_400, notAfter: now + days * 86_400)
  }

  private func scan(_ paths: [String]? = nil, workers: Int = 2) -> ScanReport {
    CertificateScanner(workers: workers).scan(paths ?? [root], now: now, policy: CheckPolicy())
  }

  func testEveryCertificateOfABundleWithItsStatus() throws {
    let fixtures = Self.fixtures
    try write("a/bundle.pem", try leaf(days: 200).pem + fixtures.ca.pem)
    try write("b/warning.pem", try leaf(days: 10).pem)
    try write("c/critical.pem", try leaf(days: 3).pem)
    try write("d/expired.pem", try leaf(days: -1).pem)
    try write("e/future.pem", try leaf(days: 100, notBeforeDays: 1).pem)
    let report = scan()
    XCTAssertEqual(
      report.entries.map { "\($0.source.dropFirst(root.count + 1))#\($0.index)" },
      [
        "a/bundle.pem#0", "a/bundle.pem#1", "b/warning.pem#0", "c/critical.pem#0", "d/expired.pem#0", "e/future.pem#0",
      ])
    XCTAssertEqual(report.entries.map(\.status), [.ok, .ok, .warning, .critical, .expired, .notYetValid])
    XCTAssertEqual(report.entries.map(\.daysRemaining), [200, 3652, 10, 3, -1, 100])
    XCTAssertEqual(report.entries[1].certificate.isCA, true)
    XCTAssertEqual(report.entries[1].certificate.subjectCommonName, "certhook scan test CA")
    XCTAssertEqual(report.entries[0].certificate.dnsNames, ["site.example", "www.site.example"])
    XCTAssertEqual(report.entries[0].certificate.sha256.count, 64)
    let counts = report.counts
    XCTAssertEqual(
      [
        counts.certificates, counts.ok, counts.warning, counts.critical, counts.expired, counts.notYetValid,
        counts.failures,
      ],
      [6, 2, 1, 1, 1, 1, 0])
    XCTAssertEqual(report.state, .critical)
    XCTAssertEqual(report.filesRead, 5)
  }

  func testKeysRequestsAndOtherDataAreSkippedUnlessNamed() throws {
    try write("site/cert.pem", try leaf(days: 100).pem)
    try write("site/privkey.pem", try Self.fixtures.key.pkcs8PEM())
    try write("site/request.csr", "-----BEGIN CERTIFICATE REQUEST-----\nMIIBAA==\n-----END CERTIFICATE REQUEST-----\n")
    try write("site/README", "certificates live here\n")
    try write("site/empty", "")
    try write("site/key.der", [0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x00] + [UInt8](repeating: 7, count: 40))
    let walked = scan()
    XCTAssertEqual(walked.entries.count, 1)
    XCTAssertEqual(walked.failures, [])
    XCTAssertEqual(walked.state, .ok)

    let named = scan([root + "/site/privkey.pem", root + "/site/README", root + "/site/key.der"])
    XCTAssertEqual(
      named.failures.map(\.path), [root + "/site/privkey.pem", root + "/site/README", root + "/site/key.der"])
    XCTAssertTrue(named.failures.allSatisfy { !$0.message.isEmpty && !$0.message.hasPrefix(root) })
    XCTAssertEqual(named.state, .unknown)
  }

  func testCorruptCertificateIsReportedAndTheScanGoesOn() throws {
    try write("bad.pem", "-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64\n-----END CERTIFICATE-----\n")
    try write("truncated.pem", String(try leaf(days: 50).pem.dropLast(80)))
    try write("good.pem", try leaf(days: 50).pem)
    let report = scan()
    XCTAssertEqual(report.entries.map(\.source), [root + "/good.pem"])
    XCTAssertEqual(report.failures.map(\.path), [root + "/bad.pem", root + "/truncated.pem"])
    XCTAssertTrue(report.failures.allSatisfy { $0.message.contains("malformed") }, "\(report.failures)")
    XCTAssertEqual(report.state, .warning, "read errors make the verdict a warning")
  }

  func testDERCertificateFilesAreRead() throws {
    try write("der/site.cer", try leaf(days: 60).der)
    let report = scan()
    XCTAssertEqual(report.entries.count, 1)
    XCTAssertEqual(report.entries.first?.certificate.subjectCommonName, "site.example")
  }

  func testUnreadableFileIsAFailure() throws {
    let path: String
    if getuid() == 0 {
      path = "/proc/self/mem"  // root reads everything; this one fails with EIO
    } else {
      try write("locked.pem", try leaf(days: 60).pem)
      path = root + "/locked.pem"
      XCTAssertEqual(chmod(path, 0), 0)
    }
    try write("ok.pem", try leaf(days: 60).pem)
    let report = scan([path, root + "/ok.pem"])
    XCTAssertEqual(report.failures.count, 1)
    XCTAssertEqual(report.failures.first?.path, path)
    XCTAssertTrue(
      ["input/output error", "permission denied"].contains(report.failures.first?.message ?? ""), "\(report.failures)")
    XCTAssertEqual(report.entries.count, 1)
  }

  func testCertbotLiveTreeReportsEachLiveCertificateOnce() throws {
    let fixtures = Self.fixtures
    let old = try leaf(days: -20, notBeforeDays: -110, name: "example.com")
    let current = try leaf(days: 70, name: "example.com")
    let intermediate = fixtures.ca
    let archive = "le/archive/example.com/"
    try write(archive + "cert1.pem", old.pem)
    try write(archive + "chain1.pem", intermediate.pem)
    try write(archive + "fullchain1.pem", old.pem + intermediate.pem)
    try write(archive + "privkey1.pem", try fixtures.key.pkcs8PEM())
    try write(archive + "cert2.pem", current.pem)
    try write(archive + "chain2.pem", intermediate.pem)
    try write(archive + "fullchain2.pem", current.pem + intermediate.pem)
    try write(archive + "privkey2.pem", try fixtures.key.pkcs8PEM())
    try FileManager.default.createDirectory(atPath: root + "/le/live/example.com", withIntermediateDirectories: true)
    for name in ["cert", "chain", "fullchain", "privkey"] {
      try FileManager.default.createSymbolicLink(
        atPath: root + "/le/live/example.com/\(name).pem", withDestinationPath: "../../archive/example.com/\(name)2.pem"
      )
    }
    try write("le/live/README", "This directory contains your keys and certificates.\n")

    let report = scan([root + "/le"])
    XCTAssertEqual(
      report.entries.map { "\($0.source.dropFirst(root.count + 1))#\($0.index)" },
      ["le/live/example.com/cert.pem#0", "le/live/example.com/chain.pem#0"])
    XCTAssertEqual(
      report.entries.map(\.certificate.sha256), [current.sha256Fingerprint, intermediate.sha256Fingerprint])
    XCTAssertEqual(report.failures, [])
    XCTAssertEqual(report.state, .ok, "the expired archived version is not reported")

    let explicitArchive = scan([root + "/le/archive"])
    XCTAssertEqual(explicitArchive.entries.count, 8, "named explicitly, the archive is reported in full")
  }

  func testAcmeShDomainDirectoryReportsEachCertificateOnce() throws {
    let current = try leaf(days: 70, name: "acme.example")
    let base = "acme/acme.example/"
    try write(base + "acme.example.cer", current.pem)
    try write(base + "ca.cer", Self.fixtures.ca.pem)
    try write(base + "fullchain.cer", current.pem + Self.fixtures.ca.pem)
    try write(base + "acme.example.key", try Self.fixtures.key.pkcs8PEM())
    try write(base + "acme.example.conf", "Le_Domain='acme.example'\n")
    let report = scan()
    XCTAssertEqual(
      report.entries.map { "\($0.source.dropFirst(root.count + 1))#\($0.index)" },
      ["acme/acme.example/acme.example.cer#0", "acme/acme.example/ca.cer#0"])
  }

  func testVerdictRules() throws {
    XCTAssertEqual(scan().state, .unknown, "an empty tree: nothing could be scanned")
    XCTAssertEqual(scan([root + "/missing"]).state, .unknown)
    try write("ok.pem", try leaf(days: 90).pem)
    XCTAssertEqual(scan().state, .ok)
    XCTAssertEqual(scan([root, root + "/missing"]).state, .warning)
    try write("soon.pem", try leaf(days: 29).pem)
    XCTAssertEqual(scan().state, .warning)
    try write("later.pem", try leaf(days: 6).pem)
    XCTAssertEqual(scan().state, .critical)
    XCTAssertEqual(MonitoringState.allCases.map(\.rawValue), [0, 1, 2, 3])
  }

  func testOrderIsTheWalkOrderWhateverTheWorkers() throws {
    let pem = try leaf(days: 90).pem
    for index in 0..<70 {
      try write(String(format: "d%02d/f%03d.pem", index % 7, index), pem + (index % 3 == 0 ? Self.fixtures.ca.pem : ""))
    }
    let single = scan(workers: 1)
    let many = scan(workers: 4)
    XCTAssertEqual(single.entries.count, 70 + 24)
    XCTAssertEqual(single.entries.map { "\($0.source)#\($0.index)" }, many.entries.map { "\($0.source)#\($0.index)" })
    XCTAssertEqual(single.entries.map(\.source), single.entries.map(\.source).sorted())

    var streamed: [String] = []
    CertificateScanner(workers: 3).stream([root], now: now, policy: CheckPolicy()) { event in
      if case .certificates(let entries) = event { streamed += entries.map { "\($0.source)#\($0.index)" } }
    }
    XCTAssertEqual(streamed, many.entries.map { "\($0.source)#\($0.index)" })
  }
}

/// A CA and a key, made once for the whole test case (key generation is the slow part).
final class ScanFixtures: Sendable {
  let key: PrivateKey
  let caKey: PrivateKey
  let ca: Certificate

  init() {
    do {
      key = try PrivateKey.generate(.ecP256)
      caKey = try PrivateKey.generate(.ecP256)
      let start = Date(timeIntervalSince1970: 1_800_000_000)
      ca = try CertificateFactory.issue(
        .init(
          commonName: "certhook scan test CA", notBefore: start - 86_400, notAfter: start + 3652 * 86_400 + 3600,
          isCA: true, pathLength: 0, extendedKeyUsages: nil),
        subjectKey: caKey, issuer: nil)
    } catch {
      fatalError("cannot make scan fixtures: \(error)")
    }
  }

  func leaf(name: String, notBefore: Date, notAfter: Date) throws -> Certificate {
    try CertificateFactory.issue(
      .init(commonName: name, dnsNames: [name, "www." + name], notBefore: notBefore, notAfter: notAfter),
      subjectKey: key, issuer: (ca, caKey))
  }
}
