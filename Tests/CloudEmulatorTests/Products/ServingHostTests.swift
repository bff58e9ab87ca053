@testable import CloudEmulator
import Foundation
import XCTest

/// What each product's API names a load balancer by (the probe's host): every CLB gets its own valid IPv4 address,
/// `192.0.2.N` beside the `127.0.1.N` it is served on, and past the 254 served ones an address of 198.18.0.0/15.
final class ServingHostTests: XCTestCase {
  func testEveryCLBHasItsOwnValidAddress() {
    func clb(_ index: Int) -> String {
      ServingLayout.host(index: index, loadBalancerId: "lb-\(index)", product: .clb, region: "cn-hangzhou")
    }
    XCTAssertEqual(clb(0), "192.0.2.1")
    XCTAssertEqual(clb(253), "192.0.2.254")
    XCTAssertEqual(clb(254), "198.18.0.255")
    XCTAssertEqual(clb(255), "198.18.1.0")
    let all = (0..<2000).map(clb)
    XCTAssertEqual(Set(all).count, all.count, "one address per instance")
    for address in all {
      let octets = address.split(separator: ".").compactMap { Int($0) }
      XCTAssertEqual(octets.count, 4, address)
      XCTAssertTrue(octets.allSatisfy { (0...255).contains($0) }, address)
    }
    XCTAssertEqual(
      ServingLayout.host(index: 7, loadBalancerId: "nlb-x", product: .nlb, region: "cn-beijing"),
      "nlb-x.cn-beijing.nlb.aliyuncsslb.com")
    XCTAssertEqual(
      ServingLayout.host(index: 7, loadBalancerId: "alb-x", product: .alb, region: "cn-beijing"),
      "alb-x.cn-beijing.alb.aliyuncs.com")
  }
}
