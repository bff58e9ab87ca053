@testable import CloudEmulator
import Foundation
import XCTest

/// The emulator's own trimming (what it judges signed headers and `Authorization` fields with) returns what
/// Foundation's `trimmingCharacters(in: .whitespaces)` returns, for ASCII and Unicode spaces alike.
final class SpaceTrimmingTests: XCTestCase {
  func testTrimmingAgreesWithFoundation() {
    let samples = [
      "", " ", "\t", "abc", " abc", "abc ", "\tabc\t", "a b", "\u{00A0}abc", "abc\u{3000}", "\u{2003} a \u{2003}",
      "é", " é ", "x\n", "\nx", "Credential=key-1", " SignedHeaders=host;x-acs-date ", "\u{1F600}", " \u{1F600}",
    ]
    for text in samples {
      XCTAssertEqual(text.trimmedOfSpaces, text.trimmingCharacters(in: .whitespaces), text.debugDescription)
      let sub = ("<" + text + ">").dropFirst().dropLast()
      XCTAssertEqual(sub.trimmedOfSpaces, sub.trimmingCharacters(in: .whitespaces), text.debugDescription)
    }
  }

  func testAuthorizationFieldsAreTrimmed() throws {
    let header = try XCTUnwrap(
      AuthorizationHeader(" ACS3-HMAC-SHA256 Credential = key-1 , SignedHeaders=Host;X-Acs-Date,\tSignature=abc12 "))
    XCTAssertEqual(header.accessKeyId, "key-1")
    XCTAssertEqual(header.signedHeaders, ["host", "x-acs-date"])
    XCTAssertEqual(header.signature, "abc12")
    XCTAssertNil(AuthorizationHeader("ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=abc"))
  }
}
