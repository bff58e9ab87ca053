@testable import CloudEmulator
import Foundation
import XCTest

/// The emulator's timestamps are judged byte for byte by the official SDKs: the platform format style must print
/// exactly what the hand-written formatter printed, including milliseconds that are not exact binary fractions and
/// times a fraction of a millisecond before a whole second.
final class TimeFormatsTests: XCTestCase {
  func testMillisecondsAreRoundedNotCut() {
    // 1628818435.156 is stored as 1628818435.15599989...: cutting would print .155.
    XCTAssertEqual(TimeFormats.rfc3339Milliseconds(Date(timeIntervalSince1970: 1_628_818_435.156)), "2021-08-13T01:33:55.156Z")
    XCTAssertEqual(TimeFormats.rfc3339Milliseconds(Date(timeIntervalSince1970: 1_772_323_200.0004)), "2026-03-01T00:00:00.000Z")
    XCTAssertEqual(TimeFormats.rfc3339Milliseconds(Date(timeIntervalSince1970: 1_772_323_199.9996)), "2026-03-01T00:00:00.000Z")
    XCTAssertEqual(TimeFormats.rfc3339Milliseconds(Date(timeIntervalSince1970: 1_772_323_200.0625)), "2026-03-01T00:00:00.063Z")
  }

  func testWholeSecondsAndDays() {
    XCTAssertEqual(TimeFormats.wholeSeconds(Date(timeIntervalSince1970: 1_772_323_199.9996)), "2026-03-01T00:00:00Z")
    XCTAssertEqual(TimeFormats.wholeSeconds(Date(timeIntervalSince1970: 1_772_323_200.999)), "2026-03-01T00:00:00Z")
    XCTAssertEqual(TimeFormats.day(Date(timeIntervalSince1970: 1_772_323_199.9996)), "2026-02-28")
    XCTAssertEqual(TimeFormats.day(Date(timeIntervalSince1970: 1_772_323_200)), "2026-03-01")
  }

  func testParsingKeepsWholeMilliseconds() throws {
    let parsed = try XCTUnwrap(TimeFormats.parseRFC3339("2021-08-13T01:33:55.156Z"))
    XCTAssertEqual(TimeFormats.rfc3339Milliseconds(parsed), "2021-08-13T01:33:55.156Z")
  }
}
