import CertificateKit
import Foundation
import XCTest

/// `certhook inspect` through the binary: exit 0 when the leaf is fit to deploy, 1 otherwise, 64 on usage errors.
final class InspectCLITests: XCTestCase {
  var root = ""
  let certs = CLICertificates.shared

  override func setUpWithError() throws {
    root = NSTemporaryDirectory() + "inspectcli-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: root)
  }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let path = root + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  private func inspect(_ arguments: [String]) throws -> ScanCLIHarness.Result {
    try ScanCLIHarness.run(["inspect", "--now", CLICertificates.nowText] + arguments)
  }

  private func findingCodes(_ result: ScanCLIHarness.Result) throws -> [String] {
    let document = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    let findings = try XCTUnwrap(document["findings"] as? [[String: Any]])
    return findings.compactMap { $0["code"] as? String }
  }

  func testFitLeafExitsZeroAndShowsEveryCertificate() throws {
    let fullchain = try write("fullchain.pem", try certs.leaf("shop.example", days: 80).pem + certs.ca.pem)
    let key = try write("privkey.pem", try certs.key.pkcs8PEM())
    let result = try inspect([fullchain, "--key", key, "--domain", "shop.example", "--domain", "www.shop.example"])
    XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    XCTAssertTrue(result.stdout.contains("Certificate 1 of 2 (leaf)"), result.stdout)
    XCTAssertTrue(result.stdout.contains("Certificate 2 of 2 (root)"), result.stdout)
    XCTAssertTrue(result.stdout.contains("CN=shop.example"))
    XCTAssertTrue(result.stdout.contains("matches the leaf"))
    XCTAssertTrue(result.stdout.contains("Result: fit to deploy"))
    XCTAssertFalse(result.stdout.contains("\u{1B}["))

    let json = try inspect([fullchain, "--key", key, "--domain", "shop.example", "--json"])
    XCTAssertEqual(json.status, 0)
    let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    XCTAssertEqual(document["deployable"] as? Bool, true)
    XCTAssertEqual((document["certificates"] as? [[String: Any]])?.count, 2)
    XCTAssertEqual((document["key"] as? [String: Any])?["matchesLeaf"] as? Bool, true)
    XCTAssertEqual(try findingCodes(json), [])
  }

  func testWarningWindowIsReportedButStillDeployable() throws {
    let cert = try write("soon.pem", try certs.leaf("soon.example", days: 10).pem)
    let result = try inspect([cert, "--json"])
    XCTAssertEqual(result.status, 0)
    XCTAssertEqual(try findingCodes(result), ["expiresSoon"])
  }

  func testUnfitLeavesExitOne() throws {
    let expired = try write("expired.pem", try certs.leaf("old.example", days: -1).pem)
    let expiredResult = try inspect([expired])
    XCTAssertEqual(expiredResult.status, 1)
    XCTAssertTrue(expiredResult.stdout.contains("expired"), expiredResult.stdout)
    XCTAssertTrue(expiredResult.stdout.contains("NOT fit to deploy"))

    let good = try write("good.pem", try certs.leaf("good.example", days: 60).pem)
    let otherKey = try write("other.key", try certs.otherKey.pkcs8PEM())
    let mismatch = try inspect([good, "--key", otherKey, "--json"])
    XCTAssertEqual(mismatch.status, 1)
    XCTAssertTrue(try findingCodes(mismatch).contains("keyMismatch"))

    let uncovered = try inspect([good, "--domain", "other.example", "--json"])
    XCTAssertEqual(uncovered.status, 1)
    XCTAssertEqual(try findingCodes(uncovered), ["domainNotCovered"])

    let clientOnly = try write("client.pem", try certs.leaf("client.example", days: 60, serverAuth: false).pem)
    XCTAssertTrue(try findingCodes(try inspect([clientOnly, "--json"])).contains("notServerAuth"))
    XCTAssertEqual(try inspect([clientOnly]).status, 1)

    let reversed = try write("reversed.pem", certs.ca.pem + (try certs.leaf("rev.example", days: 60).pem))
    XCTAssertEqual(try inspect([reversed]).status, 1)

    let missing = try inspect([root + "/nope.pem"])
    XCTAssertEqual(missing.status, 1)
    XCTAssertTrue(missing.stderr.contains("nope.pem"), missing.stderr)
    let corrupt = try write("corrupt.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    XCTAssertEqual(try inspect([corrupt, "--json"]).status, 1)
  }

  func testLegoPemKeyAndChainAcrossFiles() throws {
    let leaf = try certs.leaf("lego.example", days: 60)
    let legoPem = try write("lego.example.pem", leaf.pem + certs.ca.pem + (try certs.key.pkcs8PEM()))
    let combined = try inspect([legoPem, "--domain", "lego.example", "--json"])
    XCTAssertEqual(combined.status, 0, combined.stdout)
    let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(combined.stdout.utf8)) as? [String: Any])
    XCTAssertEqual((document["key"] as? [String: Any])?["path"] as? String, legoPem)

    let leafFile = try write("cert.pem", leaf.pem)
    let chainFile = try write("chain.pem", certs.ca.pem)
    let split = try inspect([leafFile, chainFile, "--json"])
    XCTAssertEqual(split.status, 0)
    let splitDocument = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(split.stdout.utf8)) as? [String: Any])
    let paths = (splitDocument["certificates"] as? [[String: Any]])?.compactMap { $0["path"] as? String }
    XCTAssertEqual(paths, [leafFile, chainFile])
  }

  func testUsageErrorsExit64() throws {
    let cert = try write("c.pem", try certs.leaf("usage.example", days: 60).pem)
    XCTAssertEqual(try ScanCLIHarness.run(["inspect"]).status, 64)
    XCTAssertEqual(try inspect([cert, "--warn-days", "1", "--critical-days", "2"]).status, 64)
    XCTAssertEqual(try inspect([cert, "--bogus"]).status, 64)
    XCTAssertEqual(try inspect([cert, "--domain", ""]).status, 64)
  }
}
