import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

final class RetryTests: XCTestCase {
  func testFailsTwiceThenSucceedsReSigningWithSameClientToken() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let transport = FakeTransport { _, index in
      switch index {
      case 0: return FakeTransport.error(400, code: "Throttling.User", message: "Request was denied due to user flow control.")
      case 1: throw AlibabaCloudError.transport("connection reset by peer")
      default: return FakeTransport.json(["RequestId": "ok", "JobId": "job-1"])
      }
    }
    let alb = try Fixtures.alb(transport, clock: clock)
    let jobs = try await alb.associateAdditionalCertificates(listenerId: "lsr-1", certificateIds: ["1-cn-hangzhou"], clientToken: "same")
    XCTAssertEqual(jobs, ["job-1"])
    let requests = transport.requests
    XCTAssertEqual(requests.count, 3)
    XCTAssertEqual(Set(requests.map { $0.parameters["ClientToken"] }), ["same"])
    XCTAssertEqual(Set(requests.compactMap { $0.header("x-acs-signature-nonce") }).count, 3, "fresh nonce per attempt")
    XCTAssertEqual(Set(requests.compactMap { $0.header("authorization") }).count, 3, "re-signed per attempt")
    let metrics = await alb.rpc.configuration.metrics.snapshot()["AssociateAdditionalCertificatesWithListener"]
    XCTAssertEqual(metrics?.attempts, 3)
    XCTAssertEqual(metrics?.retries, 2)
    XCTAssertEqual(metrics?.throttled, 1)
    XCTAssertEqual(metrics?.failures, 0)
    // Every attempt is also counted by its result (what --metrics-file exports as certhook_api_requests_total).
    let results = await alb.rpc.configuration.metrics.resultSnapshot()
    XCTAssertEqual(
      results, ["AssociateAdditionalCertificatesWithListener": ["Throttling.User": 1, "transport": 1, ClientMetrics.successCode: 1]])
  }

  func testRetryAfterHeaderIsHonoured() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let transport = FakeTransport { _, index in
      index == 0
        ? FakeTransport.error(400, code: "Throttling.Api", headers: [("x-acs-retry-after", "1500")])
        : FakeTransport.json(["RequestId": "ok", "ListenerId": "lsr-1", "ListenerStatus": "Running"])
    }
    let alb = try Fixtures.alb(transport, clock: clock)
    _ = try await alb.getListenerAttribute(listenerId: "lsr-1")
    XCTAssertTrue(clock.recordedSleeps.contains(.milliseconds(1500)), "\(clock.recordedSleeps)")
  }

  /// A throttle at a known limit whose window was full (arrivals bunched on the way) waits the server's hint and no
  /// backoff: the limiter paces the retry. Under the limit (or without a hint) the backoff stays.
  func testABunchedThrottleAtAKnownLimitWaitsOnlyTheServersHint() async throws {
    for (limit, expected) in [(1, Duration.milliseconds(30)), (5, .milliseconds(100))] {
      let clock = TestClock(Fixtures.clientStart)
      let transport = FakeTransport { _, index in
        index == 0
          ? FakeTransport.error(400, code: "Throttling.User", headers: [("x-acs-retry-after", "30")])
          : FakeTransport.json(["RequestId": "ok", "ListenerId": "lsr-1", "ListenerStatus": "Running"])
      }
      let alb = try ALBClient(
        configuration: Fixtures.configuration(
          clock: clock, limits: ["GetListenerAttribute": RateLimit(requests: limit, per: .seconds(1))]),
        credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport)
      _ = try await alb.getListenerAttribute(listenerId: "lsr-1")
      // One send filled a window of one (bunched: the hint); one of five did not (the backoff: 0.5 x 200 ms).
      XCTAssertEqual(clock.recordedSleeps.first, expected, "limit \(limit): \(clock.recordedSleeps)")
    }
  }

  /// Issue 8 "one retry layer": a busy listener is the executor's retry (it waits for Running, then re-sends);
  /// the client returns the answer at once, with its RequestId, instead of repeating it.
  func testBusyListenerIsReturnedToTheCallerAtOnce() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let transport = FakeTransport { _, index in
      index < 2
        ? FakeTransport.error(400, code: "IncorrectStatus.Listener", message: "The status of lsr-1 [Configuring] is incorrect.")
        : FakeTransport.json(["RequestId": "ok", "JobId": "j"])
    }
    let alb = try Fixtures.alb(transport, clock: clock)
    do {
      _ = try await alb.associateAdditionalCertificates(listenerId: "lsr-1", certificateIds: ["1-cn-hangzhou"])
      XCTFail("expected IncorrectStatus.Listener")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "IncorrectStatus.Listener")
      XCTAssertEqual(error.requestId, "req-IncorrectStatus.Listener")
    }
    XCTAssertEqual(transport.requests.count, 1)
    XCTAssertEqual(clock.recordedSleeps, [])
  }

  func testEveryRetryableConditionIsRetriedAndOthersAreNot() async throws {
    let retryable: [(Int, String)] = [
      (400, "Throttling"), (400, "Throttling.User"), (400, "Rejected.Throttling"), (503, "ServiceUnavailable"),
      (400, "SystemBusy"), (500, "InternalError"),
    ]
    for (status, code) in retryable {
      let transport = FakeTransport { _, index in
        index == 0 ? FakeTransport.error(status, code: code) : FakeTransport.json(["RequestId": "ok", "JobId": "j"])
      }
      let alb = try Fixtures.alb(transport, clock: TestClock(Fixtures.clientStart))
      let jobs = try await alb.dissociateAdditionalCertificates(listenerId: "l", certificateIds: ["1-cn-hangzhou"])
      XCTAssertEqual(jobs, ["j"], code)
      XCTAssertEqual(transport.requests.count, 2, code)
    }
    // Busy answers (IdempotenceProcessing, IncorrectStatus.Listener, ResourceInConfiguring.Listener, Conflict.Lock)
    // are the executor's retry since issue 8: the client sends them once.
    for code in ["ResourceNotAssociated.Certificate", "ResourceAlreadyAssociated.Certificate", "SignatureDoesNotMatch",
                 "OperationDenied.DefaultCertificateUsed", "ResourceNotFound.Certificate", "IdempotenceProcessing",
                 "IncorrectStatus.Listener", "ResourceInConfiguring.Listener", "Conflict.Lock"] {
      let transport = FakeTransport { _, _ in FakeTransport.error(400, code: code) }
      let alb = try Fixtures.alb(transport, clock: TestClock(Fixtures.clientStart))
      do {
        _ = try await alb.dissociateAdditionalCertificates(listenerId: "l", certificateIds: ["1-cn-hangzhou"])
        XCTFail("expected \(code)")
      } catch let error as AlibabaCloudError {
        XCTAssertEqual(error.apiCode, code)
      }
      XCTAssertEqual(transport.requests.count, 1, code)
    }
  }

  func testNonJSONBodyIsReportedTruncatedAnd5xxRetried() async throws {
    let html = "<html>" + String(repeating: "x", count: 500) + "</html>"
    let transport = FakeTransport { _, _ in HTTPResponseSpec(status: 502, body: Array(html.utf8)) }
    let alb = try Fixtures.alb(transport, clock: TestClock(Fixtures.clientStart), retry: RetryPolicy(maxAttempts: 3))
    do {
      _ = try await alb.getListenerAttribute(listenerId: "lsr-1")
      XCTFail("expected an error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .invalidResponse)
      XCTAssertEqual(error.httpStatus, 502)
      XCTAssertTrue(error.isRetryable)
      XCTAssertLessThan(error.description.count, 320, error.description)
      XCTAssertTrue(error.description.contains("<html>"))
    }
    XCTAssertEqual(transport.requests.count, 3)
  }

  func testAttemptAndTimeCapsStopRetrying() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let transport = FakeTransport { _, _ in FakeTransport.error(503, code: "ServiceUnavailable") }
    let policy = RetryPolicy(maxAttempts: 50, baseDelay: .seconds(1), maxDelay: .seconds(4), totalTimeCap: .seconds(10))
    let alb = try Fixtures.alb(transport, clock: clock, retry: policy)
    do {
      _ = try await alb.getListenerAttribute(listenerId: "lsr-1")
      XCTFail("expected an error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.apiCode, "ServiceUnavailable")
    }
    let slept = clock.recordedSleeps.reduce(Duration.zero, +)
    XCTAssertLessThanOrEqual(slept, .seconds(10))
    XCTAssertGreaterThan(transport.requests.count, 2)
    XCTAssertLessThan(transport.requests.count, 50)
  }

  func testBackoffIsFullJitterExponentialCapped() {
    let p = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
    XCTAssertEqual(p.delay(forRetry: 1, retryAfterMilliseconds: nil, random: 1), .milliseconds(100))
    XCTAssertEqual(p.delay(forRetry: 3, retryAfterMilliseconds: nil, random: 1), .milliseconds(400))
    XCTAssertEqual(p.delay(forRetry: 3, retryAfterMilliseconds: nil, random: 0.5), .milliseconds(200))
    XCTAssertEqual(p.delay(forRetry: 9, retryAfterMilliseconds: nil, random: 1), .seconds(1))
    XCTAssertEqual(p.delay(forRetry: 9, retryAfterMilliseconds: nil, random: 0), .zero)
    XCTAssertEqual(p.delay(forRetry: 1, retryAfterMilliseconds: 2500, random: 0.1), .milliseconds(2500))
    // A busy listener: at least 500 ms, equal jitter above that.
    XCTAssertEqual(p.delay(forRetry: 1, retryAfterMilliseconds: nil, random: 0, busy: true), .milliseconds(500))
    XCTAssertEqual(p.delay(forRetry: 9, retryAfterMilliseconds: nil, random: 1, busy: true), .seconds(1))
    let slow = RetryPolicy(baseDelay: .seconds(1), maxDelay: .seconds(8))
    XCTAssertEqual(slow.delay(forRetry: 4, retryAfterMilliseconds: nil, random: 0, busy: true), .seconds(4))
    XCTAssertEqual(slow.delay(forRetry: 4, retryAfterMilliseconds: nil, random: 1, busy: true), .seconds(8))
  }
}
