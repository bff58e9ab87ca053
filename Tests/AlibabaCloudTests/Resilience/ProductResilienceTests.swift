import AlibabaCloud
import CertHookTestSupport
import Foundation
import XCTest

/// Issue 13, point 1: the retry decision, the busy classification and the rate-limit bucket read the row of the
/// product that answered, not the ALB row of the same action name.
final class ProductResilienceTests: XCTestCase {
  private func rpc(
    _ product: ApiAction.Product, _ transport: FakeTransport, clock: TestClock, limits: [String: RateLimit] = [:]
  ) -> (AcsRPCClient, ClientConfiguration) {
    let configuration = Fixtures.configuration(clock: clock, limits: limits)
    let client = AcsRPCClient(
      endpoint: URL(string: "http://127.0.0.1:9")!, version: product.version,
      credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport, configuration: configuration)
    return (client, configuration)
  }

  /// `OperationFailed.ResourceIsConfiguring` is in NLB's UpdateListenerAttribute row (what Terraform retries), not in
  /// ALB's: the NLB call rides it out, the same code on ALB is final.
  func testAnNLBBusyCodeIsRetriedPerNLBsRow() async throws {
    let transport = FakeTransport { _, index in
      index == 0
        ? FakeTransport.error(400, code: "OperationFailed.ResourceIsConfiguring")
        : FakeTransport.json(["RequestId": "r2", "JobId": "job-1"])
    }
    let clock = TestClock(Fixtures.clientStart)
    let (nlb, _) = rpc(.nlb, transport, clock: clock)
    XCTAssertEqual(nlb.product, .nlb)
    let json = try await nlb.call("UpdateListenerAttribute", parameters: [("ListenerId", "lsn-1")])
    XCTAssertEqual(json["JobId"]?.string, "job-1")
    XCTAssertEqual(transport.requests.count, 2)
    // A busy answer waits at least the policy's busy minimum (500 ms), as the NLB row calls it busy.
    XCTAssertGreaterThanOrEqual(clock.recordedSleeps.first ?? .zero, .milliseconds(500))

    let albTransport = FakeTransport { _, _ in FakeTransport.error(400, code: "OperationFailed.ResourceIsConfiguring") }
    let (alb, _) = rpc(.alb, albTransport, clock: TestClock(Fixtures.clientStart))
    do {
      _ = try await alb.call("UpdateListenerAttribute", parameters: [("ListenerId", "lsr-1")])
      XCTFail("ALB's row does not retry OperationFailed.ResourceIsConfiguring")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "OperationFailed.ResourceIsConfiguring")
      XCTAssertEqual(error.product, .alb)
      XCTAssertFalse(error.isRetryable)
    }
    XCTAssertEqual(albTransport.requests.count, 1)
  }

  /// `IncorrectBusinessStatus.LoadBalancer` is an ALB busy code: NLB's row does not have it, so an NLB answer with it
  /// is final (typed, RequestId kept), though the ALB row of the same name retries it.
  func testAnALBOnlyBusyCodeIsNotRetriedForNLB() async throws {
    let transport = FakeTransport { _, _ in FakeTransport.error(400, code: "IncorrectBusinessStatus.LoadBalancer") }
    let (nlb, configuration) = rpc(.nlb, transport, clock: TestClock(Fixtures.clientStart))
    do {
      _ = try await nlb.call("UpdateListenerAttribute", parameters: [("ListenerId", "lsn-1")])
      XCTFail("expected an error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.product, .nlb)
      XCTAssertEqual(error.requestId, "req-IncorrectBusinessStatus.LoadBalancer")
      XCTAssertFalse(error.isRetryable)
      XCTAssertTrue(error.description.hasPrefix("NLB UpdateListenerAttribute: IncorrectBusinessStatus.LoadBalancer"))
    }
    XCTAssertEqual(transport.requests.count, 1)
    let failures = await configuration.metrics.snapshot()["nlb:UpdateListenerAttribute"]?.failures
    XCTAssertEqual(failures, 1)
    XCTAssertTrue(ApiAction.isBusy("IncorrectBusinessStatus.LoadBalancer", action: "UpdateListenerAttribute"))
    XCTAssertFalse(
      ApiAction.isBusy("IncorrectBusinessStatus.LoadBalancer", action: "UpdateListenerAttribute", product: .nlb))
    XCTAssertTrue(ApiAction.isBusy("StateError.Accelerator", action: "UpdateListener", product: .ga))
  }

  /// `Conflict.Lock` on an ALB listener goes back to the caller at once (the executor waits for Running); on NLB it is
  /// the instance's lock, which the client retries per NLB's row.
  func testConflictLockIsHandedBackForALBAndRetriedForNLB() async throws {
    let nlbTransport = FakeTransport { _, index in
      index < 2
        ? FakeTransport.error(400, code: "Conflict.Lock") : FakeTransport.json(["RequestId": "r", "JobId": "j"])
    }
    let (nlb, _) = rpc(.nlb, nlbTransport, clock: TestClock(Fixtures.clientStart))
    _ = try await nlb.call("AssociateAdditionalCertificatesWithListener", parameters: [("ListenerId", "lsn-1")])
    XCTAssertEqual(nlbTransport.requests.count, 3)

    let albTransport = FakeTransport { _, _ in FakeTransport.error(400, code: "Conflict.Lock") }
    let (alb, _) = rpc(.alb, albTransport, clock: TestClock(Fixtures.clientStart))
    do {
      _ = try await alb.call("AssociateAdditionalCertificatesWithListener", parameters: [("ListenerId", "lsr-1")])
      XCTFail("expected an error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.code, "Conflict.Lock")
    }
    XCTAssertEqual(albTransport.requests.count, 1)
  }

  /// ALB's and NLB's `ListListeners` have separate buckets: a configured `ListListeners` limit (an ALB name, as it
  /// always was) does not slow NLB down, and `nlb:ListListeners` limits NLB alone.
  func testNLBAndALBListListenersAreLimitedSeparately() async throws {
    let transport = FakeTransport { _, _ in FakeTransport.json(["RequestId": "r", "Listeners": [], "NextToken": ""]) }
    let clock = TestClock(Fixtures.clientStart)
    let limits = [
      "ListListeners": RateLimit(requests: 1, per: .seconds(60)),
      "nlb:ListListeners": RateLimit(requests: 1, per: .seconds(30)),
    ]
    let configuration = Fixtures.configuration(clock: clock, limits: limits)
    func client(_ product: ApiAction.Product) -> AcsRPCClient {
      AcsRPCClient(
        endpoint: URL(string: "http://127.0.0.1:9")!, version: product.version,
        credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport, configuration: configuration)
    }
    let alb = client(.alb)
    let nlb = client(.nlb)
    _ = try await alb.call("ListListeners", parameters: [])
    _ = try await nlb.call("ListListeners", parameters: [])
    XCTAssertEqual(clock.recordedSleeps, [], "NLB's first ListListeners must not wait for ALB's bucket")
    _ = try await nlb.call("ListListeners", parameters: [])
    let nlbWait = try XCTUnwrap(clock.recordedSleeps.last)
    XCTAssertGreaterThan(nlbWait, .seconds(25))
    XCTAssertLessThanOrEqual(nlbWait, .seconds(31), "the NLB bucket is nlb:ListListeners' (30 s), not ALB's (60 s)")
    _ = try await alb.call("ListListeners", parameters: [])
    XCTAssertEqual(clock.recordedSleeps.count, 2, "ALB's own bucket still limits ALB")
    let albLimit = await configuration.rateLimiter.limit(for: "ListListeners")
    XCTAssertEqual(albLimit, RateLimit(requests: 1, per: .seconds(60)))
    let attempts = await configuration.metrics.snapshot().mapValues(\.attempts)
    XCTAssertEqual(attempts["ListListeners"], 2)
    XCTAssertEqual(attempts["nlb:ListListeners"], 2)
    XCTAssertEqual(ApiAction.named("ListListeners", product: .ga)?.limiterKey, "ga:ListListeners")
    XCTAssertEqual(ApiAction.named("UploadUserCertificate")?.limiterKey, "UploadUserCertificate")
  }

  /// `rateLimits.writesPerSecond` caps every product's writes, each in its own bucket, without raising ALB's
  /// published 200/60 s.
  func testTheWriteCapCoversEveryProductsWritesByKey() {
    let limits = SessionTuning(writesPerSecond: 10).rateLimits
    XCTAssertNil(limits["AssociateAdditionalCertificatesWithListener"], "ALB's published 3.33/s stays")
    for key in [
      "nlb:AssociateAdditionalCertificatesWithListener", "nlb:UpdateListenerAttribute", "ga:UpdateListener",
      "ga:UpdateAdditionalCertificateWithListener", "slb:SetDomainExtensionAttribute", "slb:UploadServerCertificate",
    ] {
      XCTAssertEqual(limits[key]?.perSecond ?? 0, 10, accuracy: 0.001, key)
    }
    XCTAssertNil(limits["nlb:ListListeners"], "reads are not writes")
  }
}
