import AlibabaCloud
import CertHookTestSupport
import Foundation
import Logging
import XCTest

/// Issue 13: a session hands out the NLB, GA and CLB clients on its endpoints, credentials, region, rate limiter
/// and metrics.
final class LoadBalancerSessionTests: XCTestCase {
  func testSessionOpensTheProductClientsOnItsEndpointsAndLimiter() async throws {
    let transport = FakeTransport { _, _ in FakeTransport.json(["RequestId": "r", "Listeners": [], "NextToken": ""]) }
    let environment = SessionEnvironment([
      "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret",
      "ALIBABA_CLOUD_REGION_ID": "cn-shanghai",
      "CERTHOOK_ALB_ENDPOINT": "http://127.0.0.1:9", "CERTHOOK_CAS_ENDPOINT": "http://127.0.0.1:9",
      "CERTHOOK_NLB_ENDPOINT": "http://127.0.0.1:10", "CERTHOOK_GA_ENDPOINT": "http://127.0.0.1:11",
    ])
    let session = try await CloudSession.open(
      SessionRequest(products: [.alb, .cas, .nlb, .ga, .slb]), environment: environment,
      homeDirectory: NSTemporaryDirectory(), runtime: TestClock(Fixtures.clientStart).runtime(), transport: transport,
      metadataTransport: nil, logger: Logger(label: "test"))
    let nlb = try session.nlb()
    let ga = try session.ga()
    let slb = try session.slb()
    XCTAssertEqual(nlb.rpc.endpoint.absoluteString, "http://127.0.0.1:10")
    XCTAssertEqual(nlb.region, "cn-shanghai")
    XCTAssertEqual(ga.rpc.endpoint.absoluteString, "http://127.0.0.1:11")
    XCTAssertEqual(slb.rpc.endpoint.host, "slb.aliyuncs.com", "cn-shanghai is one of the SDK's central regions")
    XCTAssertEqual(slb.region, "cn-shanghai")
    XCTAssertTrue(nlb.rpc.configuration.rateLimiter === session.configuration.rateLimiter)
    _ = try await nlb.listListeners()
    _ = try await session.alb.listListeners()
    XCTAssertEqual(transport.requests.map { $0.header("x-acs-version") }, ["2022-04-30", "2020-06-16"])
    let attempts = await session.configuration.metrics.snapshot().mapValues(\.attempts)
    XCTAssertEqual(attempts, ["nlb:ListListeners": 1, "ListListeners": 1])
  }

  func testLoadBalancerEndpointsApplyWithoutOpeningThoseProductsAndStillCheckOverrides() async throws {
    let transport = FakeTransport { _, _ in FakeTransport.json(["RequestId": "r"]) }
    var values = [
      "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret",
      "CERTHOOK_ALB_ENDPOINT": "http://127.0.0.1:9", "CERTHOOK_CAS_ENDPOINT": "http://127.0.0.1:9",
      "CERTHOOK_SLB_ENDPOINT": "http://127.0.0.1:12",
    ]
    let request = SessionRequest(commandLine: .init(endpoints: ["ga": "http://127.0.0.1:11"]))
    let session = try await CloudSession.open(
      request, environment: SessionEnvironment(values), homeDirectory: NSTemporaryDirectory(),
      runtime: TestClock(Fixtures.clientStart).runtime(), transport: transport, metadataTransport: nil,
      logger: Logger(label: "test"))
    XCTAssertEqual(session.region, "cn-hangzhou", "ALB and CAS overridden: the loopback default region")
    XCTAssertEqual(try session.slb().rpc.endpoint.absoluteString, "http://127.0.0.1:12")
    XCTAssertEqual(try session.ga().rpc.endpoint.absoluteString, "http://127.0.0.1:11")
    XCTAssertEqual(try session.nlb().rpc.endpoint.host, "nlb.cn-hangzhou.aliyuncs.com")
    values["CERTHOOK_NLB_ENDPOINT"] = "not a url"
    do {
      _ = try await CloudSession.open(
        request, environment: SessionEnvironment(values), homeDirectory: NSTemporaryDirectory(),
        runtime: TestClock(Fixtures.clientStart).runtime(), transport: transport, metadataTransport: nil,
        logger: Logger(label: "test"))
      XCTFail("a bad NLB endpoint must stop the session")
    } catch {
      XCTAssertTrue("\(error)".contains("CERTHOOK_NLB_ENDPOINT"), "\(error)")
    }
  }
}
