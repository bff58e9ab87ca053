import Foundation
import XCTest

@testable import AlibabaCloud

/// CAS and STS write dates as a day, a timestamp, or a timestamp with fractions or an offset: each parses to the
/// same instant the text names, and anything else to nil.
final class TimestampParsingTests: XCTestCase {
  private let noonUTC = Date(timeIntervalSince1970: 1_796_472_000)  // 2026-12-05T12:00:00Z

  func testTimestampsWithAndWithoutFractionsAndOffsets() {
    XCTAssertEqual(AcsTimestamp.parse("2026-12-05T12:00:00Z"), noonUTC)
    XCTAssertEqual(AcsTimestamp.parse("2026-12-05T12:00:00.250Z"), noonUTC.addingTimeInterval(0.25))
    XCTAssertEqual(AcsTimestamp.parse("2026-12-05T20:00:00+08:00"), noonUTC)
    XCTAssertNil(AcsTimestamp.parse("2026-12-05 12:00:00"))
    XCTAssertNil(AcsTimestamp.parse("yesterday"))
  }

  func testCASDaysAreUTCMidnights() {
    XCTAssertEqual(CASFields.parseDay("2026-12-05"), noonUTC.addingTimeInterval(-12 * 3600))
    XCTAssertEqual(CASFields.parseDay(" 2026-12-05 "), noonUTC.addingTimeInterval(-12 * 3600))
    XCTAssertEqual(CASFields.parseDay("2026-12-05T12:00:00Z"), noonUTC)
    XCTAssertNil(CASFields.parseDay("2026-12-xx"))
    XCTAssertNil(CASFields.parseDay(""))
    XCTAssertNil(CASFields.parseDay(nil))
  }
}
