import AlibabaCloud
import Foundation
import XCTest

/// Signed requests carry `yyyy-MM-ddTHH:mm:ssZ`: whole seconds, cut (a request signed at .9996 s is still that
/// second), in UTC.
final class AcsTimestampTests: XCTestCase {
  func testWholeSecondsAreCutInUTC() {
    XCTAssertEqual(AcsTimestamp.iso8601(Date(timeIntervalSince1970: 1_772_323_199.9996)), "2026-02-28T23:59:59Z")
    XCTAssertEqual(AcsTimestamp.iso8601(Date(timeIntervalSince1970: 1_698_315_752)), "2023-10-26T10:22:32Z")
    XCTAssertEqual(AcsTimestamp.iso8601(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
  }
}
