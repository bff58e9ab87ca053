import AlibabaCloud
import XCTest

/// `rateLimits.writesPerSecond` and `timeouts.request` reach the HTTP clients (moved from the CLI's
/// CloudTuningTests with the same assertions), and no value, however extreme, can trap.
final class SessionTuningTests: XCTestCase {
  func testNoSettingsKeepThePublishedLimitsAndDefaultTimeouts() {
    let tuning = SessionTuning()
    XCTAssertTrue(tuning.rateLimits.isEmpty)
    XCTAssertEqual(tuning.timeouts.overall, AsyncHTTPClientTransport.Timeouts().overall)
  }

  func testWritesPerSecondCapsEveryWriteActionButNeverRaisesAPublishedLimit() {
    let limits = SessionTuning(writesPerSecond: 2).rateLimits
    XCTAssertEqual(limits["UploadUserCertificate"]?.perSecond ?? 0, 2, accuracy: 0.001)
    XCTAssertEqual(limits["DeleteUserCertificate"]?.perSecond ?? 0, 2, accuracy: 0.001)
    // Associate is published at 200/60 s = 3.33/s: 2/s is lower, so it applies.
    XCTAssertEqual(limits["AssociateAdditionalCertificatesWithListener"]?.perSecond ?? 0, 2, accuracy: 0.001)
    // 10/s would exceed the published 3.33/s for associate: the published one stays.
    XCTAssertNil(SessionTuning(writesPerSecond: 10).rateLimits["AssociateAdditionalCertificatesWithListener"])
    XCTAssertNil(limits["ListListeners"], "reads are not writes")
  }

  func testActionLimitsReplaceThePublishedOnesEvenUpwards() {
    let raised = RateLimit(requests: 1000, per: .seconds(1))
    let limits = SessionTuning(writesPerSecond: 2, actionLimits: ["AssociateAdditionalCertificatesWithListener": raised])
      .rateLimits
    XCTAssertEqual(limits["AssociateAdditionalCertificatesWithListener"], raised, "above the published 200/60 s")
    XCTAssertEqual(limits["UploadUserCertificate"]?.perSecond ?? 0, 2, accuracy: 0.001, "the cap still holds elsewhere")
  }

  func testFractionalRatesBecomeOneCallPerLongerPeriod() throws {
    let limit = try XCTUnwrap(SessionTuning(writesPerSecond: 0.5).rateLimits["UploadUserCertificate"])
    XCTAssertEqual(limit.requests, 1)
    XCTAssertEqual(limit.period, .seconds(2))
  }

  func testRequestTimeoutBoundsReadAndOverall() {
    let timeouts = SessionTuning(requestTimeout: 7).timeouts
    XCTAssertEqual(timeouts.read, .seconds(7))
    XCTAssertEqual(timeouts.overall, .seconds(7))
    XCTAssertEqual(timeouts.connect, .seconds(5))
    XCTAssertEqual(SessionTuning(requestTimeout: 2).timeouts.connect, .seconds(2))
  }

  /// Issue 11 item 9: 1e300, 1e-300 and inf trapped in the rate and timeout arithmetic.
  func testExtremeValuesNeverTrapAndRangesAreReported() {
    for value in [1e300, 1e-300, Double.infinity, -Double.infinity, Double.nan, 1e12] {
      _ = SessionTuning(writesPerSecond: value, requestTimeout: value).rateLimits
      _ = SessionTuning(writesPerSecond: value, requestTimeout: value).timeouts
    }
    XCTAssertEqual(SessionTuning(requestTimeout: 1e12).timeouts.overall, .seconds(3600))
    XCTAssertNil(SessionTuning.rangeProblem(30, SessionTuning.requestTimeoutRange))
    XCTAssertEqual(
      SessionTuning.rangeProblem(1e300, SessionTuning.writesPerSecondRange), "must be between 0.01 and 1000, got 1e+300")
    XCTAssertNotNil(SessionTuning.rangeProblem(.infinity, SessionTuning.requestTimeoutRange))
  }
}
