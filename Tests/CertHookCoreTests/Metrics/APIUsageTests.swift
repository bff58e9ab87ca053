import AlibabaCloud
import XCTest

@testable import CertHookCore

/// `APIUsage`: a session's API counters as a plain value, and the sum of a fleet's sessions equal to the counters
/// of one session that sent every request.
final class APIUsageTests: XCTestCase {
  func testUsageIsTheCountersAndSessionsAddUp() async {
    let first = ClientMetrics()
    await first.recordAttempt(action: "ListListeners", retry: false)
    await first.recordResult(action: "ListListeners", code: "Throttling.User")
    await first.recordAttempt(action: "ListListeners", retry: true)
    await first.recordResult(action: "ListListeners", code: ClientMetrics.successCode)
    let second = ClientMetrics()
    await second.recordAttempt(action: "ListListeners", retry: false)
    await second.recordResult(action: "ListListeners", code: ClientMetrics.successCode)
    await second.recordAttempt(action: "GetUserCertificateDetail", retry: false)
    await second.recordResult(action: "GetUserCertificateDetail", code: ClientMetrics.successCode)

    let one = await APIUsage(first)
    XCTAssertEqual(one.requests, ["ListListeners": ["Throttling.User": 1, "OK": 1]])
    XCTAssertEqual(one.retries, ["ListListeners": 1])
    XCTAssertEqual(one.attempts, 2)
    let other = await APIUsage(second)
    XCTAssertEqual(other.retries, [:], "an action never retried is absent")

    var total = APIUsage()
    total.add(one)
    total.add(other)
    let together = ClientMetrics()
    await together.absorb(first)
    await together.absorb(second)
    let expected = await APIUsage(together)
    XCTAssertEqual(total, expected)
    XCTAssertEqual(total.attempts, 4)
    XCTAssertEqual(total.requests["ListListeners"], ["Throttling.User": 1, "OK": 2])
  }
}
