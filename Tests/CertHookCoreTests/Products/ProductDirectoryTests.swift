import AlibabaCloud
import CertHookCore
import CertHookTestSupport
import CloudEmulator
import Foundation
import XCTest

/// Issue 13 (probe): `AlibabaCloudBackend` as `LoadBalancerDirectory` finds the host of every product's load
/// balancer through its driver: NLB `GetLoadBalancerAttribute` `DNSName`, GA `DescribeAccelerator` `DnsName`, CLB
/// `DescribeLoadBalancerAttribute` `Address`; each the name the emulator's `/_emulator/state` reports for it.
final class ProductDirectoryTests: XCTestCase {
  func testEveryProductsLoadBalancerHasTheHostTheEmulatorNames() async throws {
    let world = try await ProductLifecycle.start(seed: LoadBalancerWorld.seed(), root: try Fixtures.tempDirectory()) {
      h in
      [
        NLBListenerDriver(nlb: try h.nlbClient(), pollInterval: .milliseconds(15)),
        GAListenerDriver(ga: try h.gaClient(), cas: h.cas, pollInterval: .milliseconds(15)),
        CLBListenerDriver(slb: try h.slbClient(), cas: h.cas, pollInterval: .milliseconds(15)),
      ]
    }
    addTeardownBlock { await world.harness.stop() }
    let state = await world.harness.server.state()
    func named(_ id: String) -> String? { state.loadBalancers.first { $0.id == id }?.dnsName }

    let nlb = try await world.backend.dnsName(loadBalancerId: ListenerProduct.nlb.qualified(LoadBalancerWorld.nlb))
    XCTAssertEqual(nlb, "\(LoadBalancerWorld.nlb).cn-hangzhou.nlb.aliyuncsslb.com")
    XCTAssertEqual(nlb, named(LoadBalancerWorld.nlb))
    let ga = try await world.backend.dnsName(loadBalancerId: ListenerProduct.ga.qualified(LoadBalancerWorld.ga))
    XCTAssertEqual(ga, named(LoadBalancerWorld.ga))
    let clb = try await world.backend.dnsName(loadBalancerId: ListenerProduct.clb.qualified(LoadBalancerWorld.clb))
    XCTAssertEqual(clb, named(LoadBalancerWorld.clb))
    let index = try XCTUnwrap(state.loadBalancers.firstIndex { $0.id == LoadBalancerWorld.clb })
    XCTAssertEqual(clb, "192.0.2.\(index + 1)", "a CLB is reached at its address, one per instance")

    // An unknown NLB is the API's not-found, named; an NLB is not found under the CLB API nor the reverse.
    do {
      _ = try await world.backend.dnsName(loadBalancerId: "nlb:nlb-nope")
      XCTFail("an unknown NLB has no DNS name")
    } catch {
      XCTAssertTrue("\(error)".contains("ResourceNotFound.loadbalancer"), "\(error)")
    }
    do {
      _ = try await world.backend.dnsName(loadBalancerId: "clb:\(LoadBalancerWorld.nlb)")
      XCTFail("an NLB is not a CLB")
    } catch {
      XCTAssertTrue("\(error)".contains("InvalidLoadBalancerId.NotFound"), "\(error)")
    }
  }

  /// The client reads `Address` from `DescribeLoadBalancerAttribute`, and NLB's `DNSName` with its status.
  func testClientsReadTheAddressAndTheDNSName() async throws {
    let h = try await EmulatorHarness.startForBackend(seed: LoadBalancerWorld.seed())
    addTeardownBlock { await h.stop() }
    let lb = try await h.slbClient().describeLoadBalancer(loadBalancerId: LoadBalancerWorld.clb)
    XCTAssertNotNil(lb.address)
    XCTAssertTrue(lb.address?.hasPrefix("192.0.2.") ?? false, "\(lb)")
    let attribute = try await h.nlbClient().getLoadBalancerAttribute(loadBalancerId: LoadBalancerWorld.nlb)
    XCTAssertEqual(attribute.id, LoadBalancerWorld.nlb)
    XCTAssertEqual(attribute.status, "Active")
    XCTAssertEqual(attribute.dnsName, "\(LoadBalancerWorld.nlb).cn-hangzhou.nlb.aliyuncsslb.com")
  }
}
