import AlibabaCloud
import CertHookCore
import CertHookTestSupport
import CloudEmulator
import Foundation
import XCTest

/// An NLB and a Global Accelerator listener renewed in one `attach` while the emulator throttles, fails and resets
/// connections: every change converges, the predecessor is retired and no domain is ever uncovered.
final class NLBAndGAFaultTests: XCTestCase {
  var root: URL!
  let names = ["example.test", "www.example.test"]

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  func testRenewalConvergesOnNLBAndGADespiteFaults() async throws {
    let nlbKey = ListenerProduct.nlb.qualified(LoadBalancerWorld.nlbListener)
    let gaKey = ListenerAddress.ga(acceleratorId: LoadBalancerWorld.ga, listenerId: LoadBalancerWorld.gaListener)
    for faultSeed: UInt64 in [3, 11] {
      let world = try await ProductLifecycle.start(
        seed: LoadBalancerWorld.seed(), faults: try FaultSpec.parse("throttle=0.1,unavailable=0.05,reset=0.05"),
        faultSeed: faultSeed, root: root
      ) { h in
        [
          NLBListenerDriver(nlb: try h.nlbClient(), pollInterval: .milliseconds(15)),
          GAListenerDriver(ga: try h.gaClient(), cas: h.cas, pollInterval: .milliseconds(15)),
        ]
      }
      do {
        let first = try Fixtures.leaf(names, from: -60, until: 30)
        let r1 = try await world.attach(first, listeners: [nlbKey, gaKey])
        XCTAssertFalse(r1.report.hasFailures, "seed \(faultSeed): \(r1.report)")
        let renewed = try Fixtures.leaf(names, from: -1, until: 89)
        let r2 = try await world.attach(renewed, listeners: [nlbKey, gaKey])
        XCTAssertFalse(r2.report.hasFailures, "seed \(faultSeed): \(r2.report)")
        let firstId = try await world.identifier(first)
        let renewedId = try await world.identifier(renewed)
        for listener in [LoadBalancerWorld.nlbListener, LoadBalancerWorld.gaListener] {
          let ids = try await world.listener(listener).certificates.map(\.certificateId)
          XCTAssertTrue(ids.contains(renewedId), "seed \(faultSeed) \(listener): \(ids)")
          XCTAssertFalse(ids.contains(firstId), "seed \(faultSeed) \(listener): \(ids)")
          let replay = await world.coverageGaps(listener: listener, domains: names)
          XCTAssertEqual(replay.gaps, [], "seed \(faultSeed) \(listener)")
        }
        let faulted = await world.harness.server.requestLog().filter {
          $0.fault != nil && ["nlb", "ga"].contains($0.product ?? "")
        }
        XCTAssertGreaterThan(faulted.count, 0, "seed \(faultSeed): faults hit NLB and GA calls")
      } catch {
        await world.stop()
        throw error
      }
      await world.stop()
    }
  }
}
