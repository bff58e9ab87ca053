import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// One size limit for certificate files, applied the same way by the deploy path (`CertificateBundle`), `inspect`
/// (`CertificateFile.read`) and an explicit `scan`.
final class CertificateFileLimitTests: XCTestCase {
  /// A file holding a valid certificate followed by zeros up to `size` bytes (sparse: no disk is used).
  private func oversized(_ directory: TemporaryDirectory, size: Int) throws -> String {
    let leaf = try CertificateFactory.issue(
      Fixtures.leafRequest("big.example"), subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: nil)
    let path = try directory.write("big.pem", leaf.pem)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.truncate(atOffset: UInt64(size))
    try handle.close()
    return path
  }

  func testEveryReaderRefusesTheSameSizeWithTheSameWords() throws {
    let directory = try TemporaryDirectory()
    let size = 50 * 1024 * 1024
    let path = try oversized(directory, size: size)
    let expected = "cannot read \(path): \(CertificateFile.tooLargeReason(size))"
    XCTAssertThrowsError(try CertificateFile.read(path)) { XCTAssertEqual(String(describing: $0), expected) }
    XCTAssertThrowsError(try CertificateBundle.load(certificatePath: path, keyPath: nil)) {
      XCTAssertEqual(String(describing: $0), expected)
    }
    let report = CertificateScanner(workers: 1).scan([path], now: Fixtures.now, policy: CheckPolicy())
    XCTAssertEqual(report.failures, [ScanFailure(path: path, message: CertificateFile.tooLargeReason(size))])
    XCTAssertEqual(CertificateBundle.maxFileBytes, CertificateFile.maxBytes)
    XCTAssertEqual(CertificateScanner().maxFileSize, CertificateFile.maxBytes)
  }

  func testTheLimitItselfIsAccepted() throws {
    let directory = try TemporaryDirectory()
    let atLimit = try oversized(directory, size: CertificateFile.maxBytes)
    XCTAssertEqual(try CertificateFile.read(atLimit).count, CertificateFile.maxBytes)
    XCTAssertThrowsError(try CertificateFile.read(directory.url.path)) {
      XCTAssertTrue(String(describing: $0).contains("is a directory"), "\($0)")
    }
    XCTAssertThrowsError(try CertificateFile.read(directory.path("missing.pem"))) {
      XCTAssertTrue(String(describing: $0).contains("missing.pem"), "\($0)")
    }
  }
}
