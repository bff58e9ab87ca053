import AlibabaCloud
import Foundation
import XCTest

/// `ClientMetrics` counts every attempt by its result (the API code, the failure kind, or `OK`) where the client
/// sends it: what `--metrics-file` exports as `certhook_api_requests_total{action,code}`.
final class ResultCodeMetricsTests: XCTestCase {
  func testEveryAttemptIsCountedByItsResultCode() async throws {
    let clock = TestClock()
    let transport = FakeTransport { _, index in
      switch index {
      case 0: return FakeTransport.error(400, code: "Throttling.User", message: "Request was denied due to user flow control.")
      case 1: throw AlibabaCloudError.transport("connection reset by peer")
      default: return FakeTransport.json(["RequestId": "ok", "JobId": "job-1"])
      }
    }
    let alb = try Fixtures.alb(transport, clock: clock)
    _ = try await alb.associateAdditionalCertificates(listenerId: "lsr-1", certificateIds: ["1-cn-hangzhou"], clientToken: "t")
    let results = await alb.rpc.configuration.metrics.resultSnapshot()
    XCTAssertEqual(
      results, ["AssociateAdditionalCertificatesWithListener": ["Throttling.User": 1, "transport": 1, ClientMetrics.successCode: 1]])

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
