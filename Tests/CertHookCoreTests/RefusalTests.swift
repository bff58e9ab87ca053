import CertHookCore
import CertificateKit
import Foundation
import XCTest

/// What makes the engine refuse a certificate before any API call, and how the refusal names the finding.
final class RefusalTests: XCTestCase {
  private let now = Date(timeIntervalSince1970: 1_800_000_000)

  private func bundle(isCA: Bool, names: [String], days: Double = 90) throws -> CertificateBundle {
    let key = try PrivateKey.generate(.ecP256)
    let leaf = try CertificateFactory.issue(
      .init(
        commonName: names[0], dnsNames: names, notBefore: now - 86_400, notAfter: now + days * 86_400, isCA: isCA),
      subjectKey: key, issuer: nil)
    let dir = NSTemporaryDirectory() + "refusal-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    try Data(leaf.pem.utf8).write(to: URL(fileURLWithPath: dir + "/cert.pem"))
    try Data(try key.pkcs8PEM().utf8).write(to: URL(fileURLWithPath: dir + "/key.pem"))
    return try LocalCertificates.load(certificatePath: dir + "/cert.pem", keyPath: dir + "/key.pem", chainPath: nil)
  }

  func testAFitLeafHasNoRefusal() throws {
    let b = try bundle(isCA: false, names: ["example.test"])
    XCTAssertEqual(LocalCertificates.refusals(b, domains: ["example.test"], now: now, policy: CheckPolicy()), [])
  }

  func testACACertificateGivenAsTheLeafIsRefusedWithItsCode() throws {
    let b = try bundle(isCA: true, names: ["example.test"])
    let reasons = LocalCertificates.refusals(b, domains: ["example.test"], now: now, policy: CheckPolicy())
    XCTAssertEqual(reasons.count, 1, "\(reasons)")
    XCTAssertTrue(reasons[0].contains("[caAsLeaf]"), reasons[0])
  }

  func testEveryRefusalNamesItsFindingCode() throws {
    let b = try bundle(isCA: false, names: ["other.test"], days: -1)
    let reasons = LocalCertificates.refusals(b, domains: ["example.test"], now: now, policy: CheckPolicy())
    XCTAssertTrue(reasons.contains { $0.contains("[expired]") }, "\(reasons)")
    XCTAssertTrue(reasons.contains { $0.contains("[domainNotCovered]") }, "\(reasons)")
  }
}
