@testable import CertHookCore
import Foundation
import XCTest

/// Notification payloads print times as `ISO8601DateFormatter` did: UTC, whole seconds, after rounding to the
/// millisecond (0.5 ms or less before a second shows that second); CAS names keep `yyyyMMdd` of notAfter in UTC.
final class NotificationTimestampTests: XCTestCase {
  func testRoundsToTheMillisecondThenCutsToTheSecond() {
    XCTAssertEqual(NotificationRequest.rfc3339(Date(timeIntervalSince1970: 1_764_872_182.9997313)), "2025-12-04T18:16:23Z")
    XCTAssertEqual(NotificationRequest.rfc3339(Date(timeIntervalSince1970: 1_764_872_182.9994)), "2025-12-04T18:16:22Z")
    XCTAssertEqual(NotificationRequest.rfc3339(Date(timeIntervalSince1970: 1_780_272_000)), "2026-06-01T00:00:00Z")
  }

  func testNamesCarryTheUTCDayOfNotAfter() {
    let name = CertificateNaming.name(
      commonName: "example.test", notAfter: Date(timeIntervalSince1970: 1_780_271_999.5), sha256: String(repeating: "AB", count: 32))
    XCTAssertEqual(name, "certhook-example.test-20260531-abababab")
  }
}
