@testable import AlibabaCloud
import XCTest

/// The fast paths of header-name lowering and value trimming give exactly what the Unicode-aware forms give.
final class HeaderTextTests: XCTestCase {
  func testASCIILoweringMatchesLowercased() {
    for name in ["Host", "X-Acs-Date", "x-acs-action", "CONTENT-TYPE", "", "a1-B2_c3", "Ünïcode-Héader", "İstanbul", "ΣΑΣ"] {
      XCTAssertEqual(name.asciiLowercased, name.lowercased(), name)
    }
  }

  func testTrimmingMatchesFoundation() {
    for value in ["plain", " lead", "trail\t", "\t both \t", "   ", "", "\u{3000}ideographic\u{3000}", "in side", "é"] {
      XCTAssertEqual(value.trimmingSpaces, value.trimmingCharacters(in: .whitespaces), value.debugDescription)
    }
  }
}

/// The system runtime's nonce: 32 lowercase hex digits, a fresh one each time.
final class NonceTests: XCTestCase {
  func testSystemNoncesAreFreshLowercaseHex() {
    let nonces = (0..<1000).map { _ in ClientRuntime.system.nonce() }
    XCTAssertEqual(Set(nonces).count, 1000)
    for nonce in nonces {
      XCTAssertEqual(nonce.utf8.count, 32)
      XCTAssertTrue(nonce.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }, nonce)
    }
  }
}
