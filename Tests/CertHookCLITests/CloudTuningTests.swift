import AlibabaCloud
import XCTest

@testable import certhook

/// `rateLimits.writesPerSecond` and `timeouts.request` from the configuration reach the HTTP clients.
final class CloudTuningTests: XCTestCase {
  func testNoSettingsKeepThePublishedLimitsAndDefaultTimeouts() {
    let tuning = CloudTuning()
    XCTAssertTrue(tuning.rateLimits.isEmpty)
    XCTAssertEqual(tuning.timeouts.overall, AsyncHTTPClientTransport.Timeouts().overall)
  }

  func testWritesPerSecondCapsEveryWriteActionButNeverRaisesAPublishedLimit() {
    let limits = CloudTuning(writesPerSecond: 2).rateLimits
    XCTAssertEqual(limits["UploadUserCertificate"]?.perSecond ?? 0, 2, accuracy: 0.001)
    XCTAssertEqual(limits["DeleteUserCertificate"]?.perSecond ?? 0, 2, accuracy: 0.001)
    // Associate is published at 200/60 s = 3.33/s: 2/s is lower, so it applies.
    XCTAssertEqual(limits["AssociateAdditionalCertificatesWithListener"]?.perSecond ?? 0, 2, accuracy: 0.001)
    // 10/s would exceed the published 3.33/s for associate: the published one stays.
    XCTAssertNil(CloudTuning(writesPerSecond: 10).rateLimits["AssociateAdditionalCertificatesWithListener"])
    XCTAssertNil(limits["ListListeners"], "reads are not writes")
  }

  func testFractionalRatesBecomeOneCallPerLongerPeriod() throws {
    let limit = try XCTUnwrap(CloudTuning(writesPerSecond: 0.5).rateLimits["UploadUserCertificate"])
    XCTAssertEqual(limit.requests, 1)
    XCTAssertEqual(limit.period, .seconds(2))
  }

  func testRequestTimeoutBoundsReadAndOverall() {
    let timeouts = CloudTuning(requestTimeout: 7).timeouts
    XCTAssertEqual(timeouts.read, .seconds(7))
    XCTAssertEqual(timeouts.overall, .seconds(7))
    XCTAssertEqual(timeouts.connect, .seconds(5))
    XCTAssertEqual(CloudTuning(requestTimeout: 2).timeouts.connect, .seconds(2))
  }
}
