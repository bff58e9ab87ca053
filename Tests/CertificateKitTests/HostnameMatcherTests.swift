import CertificateKit
import XCTest

/// RFC 6125 matching rules.
final class HostnameMatcherTests: XCTestCase {
  func testMatches() {
    let yes: [(String, String)] = [
      ("*.example.com", "a.example.com"), ("*.example.com", "A.EXAMPLE.COM"), ("*.example.com.", "a.example.com"),
      ("*.example.com", "a.example.com."), ("example.com", "EXAMPLE.com"),
      ("xn--bcher-kva.example", "XN--BCHER-KVA.example"),
    ]
    let no: [(String, String)] = [
      ("*.example.com", "example.com"), ("*.example.com", "a.b.example.com"), ("*.example.com", ".example.com"),
      ("*.com", "example.com"), ("a*.example.com", "ab.example.com"), ("*.*.example.com", "a.b.example.com"),
      ("www.*.com", "www.example.com"), ("example.com", "www.example.com"), ("", ""),
      ("*.example.com", "*.example.com"),
      ("*", "localhost"),
    ]
    for (pattern, host) in yes {
      XCTAssertTrue(HostnameMatcher.matches(pattern: pattern, hostname: host), "\(pattern) \(host)")
    }
    for (pattern, host) in no {
      XCTAssertFalse(HostnameMatcher.matches(pattern: pattern, hostname: host), "\(pattern) \(host)")
    }
  }

  func testIsCovered() {
    let names = ["example.com", "*.example.com"]
    XCTAssertTrue(HostnameMatcher.isCovered("www.example.com", by: names))
    XCTAssertTrue(HostnameMatcher.isCovered("Example.COM.", by: names))
    XCTAssertTrue(HostnameMatcher.isCovered("*.EXAMPLE.com", by: names))
    XCTAssertFalse(HostnameMatcher.isCovered("*.example.com", by: ["a.example.com", "b.example.com"]))
    XCTAssertFalse(HostnameMatcher.isCovered("*.a.example.com", by: names))
    XCTAssertFalse(HostnameMatcher.isCovered("a.b.example.com", by: names))
    XCTAssertFalse(HostnameMatcher.isCovered("example.org", by: names))
    XCTAssertFalse(HostnameMatcher.isCovered("example.com", by: []))
  }
}
