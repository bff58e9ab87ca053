import CertificateKit
import Foundation
import XCTest

@testable import CertHookCore
import CertHookTestSupport

/// How far an account's planning runs ahead of its changes: a load balancer is read for planning only while fewer
/// than the allowance's listeners are planned and not yet done.
final class PlanningAllowanceTests: XCTestCase {
  func testATakeWaitsForRoomUnlessNothingIsOut() async throws {
    let allowance = PlanningAllowance(limit: 20)
    await allowance.take(50)  // nothing was out: a load balancer larger than the limit still goes
    let third = Task {
      await allowance.take(10)
      return await allowance.taken
    }
    try await Task.sleep(for: .milliseconds(50))
    let waiting = await allowance.taken
    XCTAssertEqual(waiting, 50, "the second take waits while 50 are out")
    await allowance.giveBack(35)
    let afterRoom = await third.value
    XCTAssertEqual(afterRoom, 25)
    await allowance.giveBack(25)
    let none = await allowance.taken
    XCTAssertEqual(none, 0)
  }

  /// Three load balancers of three listeners, an allowance of three: each load balancer is read only once the one
  /// before it is done.
  func testEachLoadBalancerIsPlannedOnceTheOneBeforeIsDone() async throws {
    let ordered = try await runThreeLoadBalancers(allowance: PlanningAllowance(limit: 3))
    for (earlier, later) in [("alb-a", "alb-b"), ("alb-b", "alb-c")] {
      let lastOfEarlier = try XCTUnwrap(ordered.lastIndex { $0.hasPrefix(earlier) })
      let firstOfLater = try XCTUnwrap(ordered.firstIndex { $0.hasPrefix(later) })
      XCTAssertLessThan(lastOfEarlier, firstOfLater, "\(ordered)")
    }
  }

  func testEverythingIsGivenBackWhetherListenersChangeOrNot() async throws {
    let allowance = PlanningAllowance(limit: 3)
    _ = try await runThreeLoadBalancers(allowance: allowance, runs: 2)  // the second run finds them converged
    let taken = await allowance.taken
    XCTAssertEqual(taken, 0)
  }

  /// Renews one certificate on three load balancers (`alb-a`..`alb-c`, three listeners each, each serving the
  /// predecessor) and returns the listener calls as "<load balancer> <action>", in order.
  private func runThreeLoadBalancers(allowance: PlanningAllowance?, runs: Int = 1) async throws -> [String] {
    let root = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let cloud = FakeCloud()
    let old = await cloud.addCAS(try Fixtures.leaf(["fleet.example.test"], until: 20))
    var loadBalancerOf: [String: String] = [:]
    for lb in ["alb-a", "alb-b", "alb-c"] {
      for i in 1...3 {
        let listener = "lsr-\(lb.suffix(1))\(i)"
        loadBalancerOf[listener] = lb
        await cloud.addListener(listener, loadBalancer: lb, port: 8000 + i, defaultCertificate: nil)
        await cloud.attach(old, to: listener)
      }
    }
    let lineage = try Fixtures.writeLineage(try Fixtures.leaf(["fleet.example.test"]), in: root)
    let configuration = CertHookConfiguration(deployments: [
      Deployment(
        name: "fleet", source: .certbotLineage(lineage), domains: ["fleet.example.test"],
        targets: ["alb-a", "alb-b", "alb-c"].map { .loadBalancer($0, protocols: nil, ports: nil) })
    ])
    var context = Fixtures.context(cloud, concurrency: 16)
    context.planningAllowance = allowance
    for _ in 0..<runs {
      let result = await SyncRunner(configuration: configuration, context: context).run()
      XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    }
    return await cloud.calls.compactMap { call in
      let parts = call.split(separator: " ")
      guard parts.count >= 2, let lb = loadBalancerOf[String(parts[1])] else { return nil }
      return "\(lb) \(parts[0])"
    }
  }
}
