import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

/// `ClientMetrics` counts every attempt by its result (the API code, the failure kind, or `OK`) where the client
/// sends it: what `--metrics-file` exports as `certhook_api_requests_total{action,code}`.
final class ResultCodeMetricsTests: XCTestCase {
  // The retried call (Throttling.User, transport, OK) is counted in RetryTests.testFailsTwiceThenSucceeds...
  func testAFinalAPIErrorIsCountedByItsCode() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let failing = FakeTransport { _, _ in FakeTransport.error(404, code: "ResourceNotFound.Listener") }
    let alb2 = try Fixtures.alb(failing, clock: clock)
    do {
      _ = try await alb2.getListenerAttribute(listenerId: "lsr-x")
      XCTFail("a missing listener throws")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "ResourceNotFound.Listener")
    }
    let failed = await alb2.rpc.configuration.metrics.resultSnapshot()
    XCTAssertEqual(failed, ["GetListenerAttribute": ["ResourceNotFound.Listener": 1]])
  }
}
