import CertificateKit
import Foundation
import XCTest

/// A timing probe, not a test: runs only with CERTHOOK_PARSE_PROBE=1 and prints certificates per second.
final class ParseRateProbeTests: XCTestCase {
  func testParseRate() throws {
    guard ProcessInfo.processInfo.environment["CERTHOOK_PARSE_PROBE"] == "1" else {
      throw XCTSkip("set CERTHOOK_PARSE_PROBE=1 to measure the parse rate")
    }
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var pems: [[UInt8]] = []
    for kind in [KeyKind.rsa(bits: 2048), .ecP256] {
      let key = try PrivateKey.generate(kind)
      let request = CertificateFactory.Request(
        commonName: "probe.example", dnsNames: ["probe.example", "www.probe.example"], notBefore: now,
        notAfter: now.addingTimeInterval(90 * 86_400))
      pems.append(Array(try CertificateFactory.issue(request, subjectKey: key, issuer: nil).pem.utf8))
    }
    let rounds = 20_000
    let start = Date()
    var count = 0
    for round in 0..<rounds {
      count += try Certificate.parseAll(pems[round % 2], source: "probe").count
    }
    let elapsed = Date().timeIntervalSince(start)
    print("parse rate: \(Int(Double(count) / elapsed)) certificates/s (one thread, \(count) PEM certificates)")
  }
}
