import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Files that merely quote the PEM marker (binaries, XML, source code, documentation; a scan of `/usr` found
/// them) are skipped silently when walked, and are errors when named on the command line.
final class ScanNonCertificateTests: XCTestCase {
  private static let marker = "-----BEGIN CERTIFICATE-----"

  /// Lookalikes modelled on what `/usr` holds: a shared library and a compiled magic file, freedesktop's MIME
  /// XML, Python source and bytecode, and a README with an elided, indented example.
  private func lookalikes() -> [(name: String, bytes: [UInt8])] {
    let marker = Self.marker
    return [
      ("libexample.so", [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + Array(marker.utf8) + [0] + Array("\n\u{1}x".utf8)),
      ("magic", Array("0\tstring\t\(marker)\n".utf8) + [0, 0, 0, 1] + Array("\(marker)\n\u{0}".utf8)),
      (
        "freedesktop.org.xml",
        Array("<?xml version=\"1.0\"?>\n  <match type=\"string\" value=\"\(marker)\" offset=\"0\"/>\n".utf8)
      ),
      ("low_level.py", Array("PEM = b\"\(marker)\\n\" + body + b\"-----END CERTIFICATE-----\\n\"\n".utf8)),
      ("low_level.pyc", [0xA7, 0x0D, 0x0D, 0x0A, 0, 0, 0, 0] + Array("\(marker)\n".utf8) + [0xE3, 0]),
      ("README", Array("Example:\n  \(marker)\n  MIICEjCC\n  <...>\n  -----END CERTIFICATE-----\n".utf8)),
    ]
  }

  func testWalkSkipsFilesThatOnlyQuoteTheMarker() throws {
    let directory = try TemporaryDirectory()
    for file in lookalikes() { try directory.write(file.name, file.bytes) }
    let leaf = try CertificateFactory.issue(
      Fixtures.leafRequest("real.example"), subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: nil)
    try directory.write("real.pem", leaf.pem)
    try directory.write("bom.pem", [0xEF, 0xBB, 0xBF] + Array(leaf.pem.utf8))
    try directory.write("broken.pem", "\(Self.marker)\n!!!!\n-----END CERTIFICATE-----\n")
    let report = CertificateScanner(workers: 2).scan([directory.url.path], now: Fixtures.now, policy: CheckPolicy())
    XCTAssertEqual(report.entries.map { ($0.source as NSString).lastPathComponent }, ["bom.pem", "real.pem"])
    XCTAssertEqual(
      report.failures.map { ($0.path as NSString).lastPathComponent }, ["broken.pem"],
      "a real certificate file that does not parse is still an error")
    print("lookalikes walked: \(report.filesRead) files read, \(report.failures.count) error(s)")
  }

  func testLookalikesNamedOnTheCommandLineAreErrors() throws {
    let directory = try TemporaryDirectory()
    let paths = try lookalikes().map { try directory.write($0.name, $0.bytes) }
    let report = CertificateScanner(workers: 2).scan(paths, now: Fixtures.now, policy: CheckPolicy())
    XCTAssertEqual(report.entries.count, 0)
    XCTAssertEqual(report.failures.map(\.path), paths)
    XCTAssertEqual(report.state, .unknown)
  }
}
