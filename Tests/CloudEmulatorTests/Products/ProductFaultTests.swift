import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 13: fault injection and idempotency cover NLB, GA and CLB. The `busy-lb` fault finds each product's
/// default-certificate write busy with that product's code; a ClientToken is remembered per product, so the same
/// token on two products' `UpdateListenerAttribute` are two requests.
final class ProductFaultTests: XCTestCase {
  func testBusyFaultAnswersEachProductsBusyCode() async throws {
    let h = try await EmulatorHarness.start(seed: ProductSeeds.mixed()) { configuration in
      configuration.faults = FaultSpec(busyLoadBalancer: 1.0)
    }
    addTeardownBlock { await h.stop() }
    let nlb = try await h.callWithForm(
      "UpdateListenerAttribute", [("ListenerId", ProductSeeds.nlbListener)], product: .nlb)
    XCTAssertEqual(nlb.code, "Conflict.Lock")
    let ga = try await h.call(
      "UpdateListener", [("RegionId", "cn-hangzhou"), ("ListenerId", ProductSeeds.gaListener)], product: .ga)
    XCTAssertEqual(ga.code, "StateError.Accelerator")
    let clb = try await h.call(
      "SetLoadBalancerHTTPSListenerAttribute",
      [("RegionId", "cn-hangzhou"), ("LoadBalancerId", ProductSeeds.clb), ("ListenerPort", "443")], product: .slb)
    XCTAssertEqual(clb.code, "ServiceIsConfiguring")
    let alb = try await h.call("UpdateListenerAttribute", [("ListenerId", "lsr-emulator-443")])
    XCTAssertEqual(alb.code, "IncorrectBusinessStatus.LoadBalancer")
    let log = await h.server.requestLog()
    XCTAssertEqual(log.filter { $0.fault == "busy-lb" }.count, 4)
    XCTAssertEqual(log.filter { $0.fault == "busy-lb" }.compactMap(\.product), ["nlb", "ga", "slb", "alb"])
  }

  func testClientTokensAreRememberedPerProduct() async throws {
    let h = try await EmulatorHarness.start(seed: ProductSeeds.mixed())
    addTeardownBlock { await h.stop() }
    let alb = try await h.call(
      "UpdateListenerAttribute", [("ListenerId", "lsr-emulator-443"), ("ClientToken", "same")])
    let nlb = try await h.callWithForm(
      "UpdateListenerAttribute", [("ListenerId", ProductSeeds.nlbListener), ("ClientToken", "same")], product: .nlb)
    XCTAssertEqual(alb.status, 200, alb.message)
    XCTAssertEqual(nlb.status, 200, nlb.message)
    XCTAssertNotEqual(alb.string("JobId"), nlb.string("JobId"))
    let state = await h.server.state()
    XCTAssertEqual(state.jobs.map(\.listenerId).sorted(), ["lsn-emu-443", "lsr-emulator-443"])
  }
}
