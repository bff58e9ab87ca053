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
