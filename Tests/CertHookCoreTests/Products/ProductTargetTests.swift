import CertHookCore
import Foundation
import XCTest
import Logging
import Yams
import CertHookTestSupport
import CertificateKit

/// The target kinds of NLB, GA and CLB in the configuration, and the engine keys they become (issue 13).
final class ProductTargetTests: XCTestCase {
  func decode(_ text: String) throws -> DeploymentTarget {
    try YAMLDecoder().decode(DeploymentTarget.self, from: try XCTUnwrap(Yams.compose(yaml: text)))
  }

  func message(_ text: String) -> String {
    do {
      return "decoded: \(try decode(text))"
    } catch {
      return "\(error)"
    }
  }

  func testEveryKindBecomesItsProductsKey() throws {
    XCTAssertEqual(try decode("nlbListener: lsn-1"), .listener("nlb:lsn-1"))
    XCTAssertEqual(
      try decode("{nlbLoadBalancer: nlb-1, protocols: [tcpssl], ports: 443}"),
      .loadBalancer("nlb:nlb-1", protocols: ["TCPSSL"], ports: [443]))
    XCTAssertEqual(try decode("{gaListener: lsr-2, accelerator: ga-1}"), .listener("ga:ga-1/lsr-2"))
    XCTAssertEqual(try decode("gaListener: ga-1/lsr-2"), .listener("ga:ga-1/lsr-2"))
    XCTAssertEqual(try decode("gaAcceleratorId: ga-1"), .loadBalancer("ga:ga-1", protocols: nil, ports: nil))
    XCTAssertEqual(try decode("{clbListener: lb-1, port: 443}"), .listener("clb:lb-1:443"))
    XCTAssertEqual(try decode("clbListener: lb-1:8443"), .listener("clb:lb-1:8443"))
    XCTAssertEqual(
      try decode("{clbLoadBalancer: lb-1, ports: [443, 8443]}"),
      .loadBalancer("clb:lb-1", protocols: nil, ports: [443, 8443]))
    XCTAssertEqual(try decode("listener: nlb:lsn-3"), .listener("nlb:lsn-3"))
    XCTAssertEqual(try decode("listener: lsr-3"), .listener("lsr-3"))
  }

  func testPlainIdsSayTheirProductByPrefix() throws {
    XCTAssertEqual(try decode("lsn-5"), .listener("nlb:lsn-5"))
    XCTAssertEqual(try decode("nlb-5"), .loadBalancer("nlb:nlb-5", protocols: nil, ports: nil))
    XCTAssertEqual(try decode("ga-5"), .loadBalancer("ga:ga-5", protocols: nil, ports: nil))
    XCTAssertEqual(try decode("lb-5"), .loadBalancer("clb:lb-5", protocols: nil, ports: nil))
    XCTAssertEqual(try decode("\"clb:lb-5:443\""), .listener("clb:lb-5:443"))
    XCTAssertEqual(try decode("\"ga:ga-5/lsr-1\""), .listener("ga:ga-5/lsr-1"))
    XCTAssertEqual(try decode("lsr-5").product, .alb)
    XCTAssertEqual(try decode("lb-5").product, .clb)
  }

  func testMissingPartsAndForeignProtocolsAreNamed() {
    XCTAssertTrue(message("gaListener: lsr-2").contains("a GA listener needs its accelerator"), message("gaListener: lsr-2"))
    XCTAssertTrue(message("clbListener: lb-1").contains("add `port: 443`"), message("clbListener: lb-1"))
    XCTAssertTrue(message("{clbListener: lb-1, port: 70000}").contains("port"), message("{clbListener: lb-1, port: 70000}"))
    let nlbQUIC = message("{nlbLoadBalancer: nlb-1, protocols: [QUIC]}")
    XCTAssertTrue(nlbQUIC.contains("protocols[0]") && nlbQUIC.contains("TCPSSL"), nlbQUIC)
    let albTCPSSL = message("{loadBalancer: alb-1, protocols: [TCPSSL]}")
    XCTAssertTrue(albTCPSSL.contains("HTTPS, QUIC"), albTCPSSL)
    XCTAssertTrue(message("\"clb:lb-1:x\"").contains("clb:<load balancer>:<port>"), message("\"clb:lb-1:x\""))
    XCTAssertTrue(message("weird-1").contains("ambiguous"))
  }

  func testListenerKeysParseIntoWhatEachAPICallNeeds() throws {
    let ga = try ListenerAddress(key: "ga:ga-1/lsr-2")
    XCTAssertEqual([ga.product.rawValue, ga.loadBalancerId, ga.listenerId], ["ga", "ga-1", "lsr-2"])
    let clb = try ListenerAddress(key: "clb:lb-1:443")
    XCTAssertEqual(clb.loadBalancerId, "lb-1")
    XCTAssertEqual(clb.port, 443)
    XCTAssertEqual(try ListenerAddress(key: "nlb:lsn-1@443").listenerId, "lsn-1@443")
    XCTAssertEqual(try ListenerAddress(key: "lsr-1").product, .alb)
    XCTAssertThrowsError(try ListenerAddress(key: "ga:lsr-2"))
    XCTAssertThrowsError(try ListenerAddress(key: "clb:lb-1"))
    XCTAssertThrowsError(try ListenerAddress(key: "clb::443"))
    XCTAssertThrowsError(try ListenerAddress(key: "nlb:"))
  }

  func testListenersCarryCertificatesOnTheirProductsProtocols() {
    func listener(_ id: String, _ proto: String) -> CloudListener {
      CloudListener(id: id, loadBalancerId: "x", listenerProtocol: proto, port: 443, status: "Running")
    }
    XCTAssertTrue(listener("nlb:lsn-1", "TCPSSL").carriesCertificates)
    XCTAssertFalse(listener("nlb:lsn-1", "TCP").carriesCertificates)
    XCTAssertFalse(listener("lsr-1", "TCPSSL").carriesCertificates)
    XCTAssertTrue(listener("ga:ga-1/lsr-1", "HTTPS").carriesCertificates)
    XCTAssertFalse(listener("clb:lb-1:443", "QUIC").carriesCertificates)
  }
}

/// Prune counts a certificate on any product's listener as in use, and deletes nothing when a product it must
/// count cannot be read.
final class ProductPruneTests: XCTestCase {
  private func world() async throws -> (FakeCloud, StateStore, Int) {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"])
    let defId = await cloud.addCAS(def)
    await cloud.addListener("lsr-a", loadBalancer: "alb-a", defaultCertificate: defId)
    await cloud.addListener("nlb:lsn-a", loadBalancer: "nlb:nlb-a", protocol: "TCPSSL", defaultCertificate: defId)
    let expired = try Fixtures.leaf(["old.example.test"], from: -100, until: -3)
    let expiredId = await cloud.addCAS(expired, name: "certhook-old.example.test-x")
    await cloud.attach(expiredId, to: "nlb:lsn-a")
    let state = StateStore(path: nil)
    try state.update {
      $0.certificates[expired.certificate.sha256Fingerprint.uppercased()] = CertificateRecord(
        certId: expiredId, identifier: "\(expiredId)-cn-hangzhou", name: "n", notAfter: expired.certificate.notAfter,
        uploadedByCerthook: true, recordedAt: Fixtures.now)
    }
    return (cloud, state, expiredId)
  }

  func testAnExpiredUploadOnAnNLBListenerIsKept() async throws {
    let (cloud, state, expiredId) = try await world()
    let report = await PruneRunner(context: Fixtures.context(cloud, state: state)).run(dryRun: true)
    XCTAssertEqual(report.errors, [])
    XCTAssertFalse(report.deletions.map(\.certId).contains(expiredId), "it serves on nlb:lsn-a")

    var albOnly = PruneRunner(context: Fixtures.context(cloud, state: state))
    albOnly.products = [.alb]
    let told = await albOnly.run(dryRun: true)
    XCTAssertEqual(told.deletions.map(\.certId), [expiredId], "the operator said the account has no NLB")
  }

  func testAnUnreadableProductStopsEveryDeletion() async throws {
    let (cloud, state, _) = try await world()
    await cloud.refuseListing(.ga)
    let report = await PruneRunner(context: Fixtures.context(cloud, state: state)).run(dryRun: true)
    XCTAssertEqual(report.deletions.map(\.certId), [])
    XCTAssertTrue(
      report.errors.contains { $0.contains("cannot list the Global Accelerator listeners") && $0.contains("--product") },
      "\(report.errors)")
    XCTAssertTrue(report.errors.contains { $0.contains("CAS deletion skipped") }, "\(report.errors)")
  }
}

/// A load balancer that cannot be listed fails its own targets only (issue 13's mixed fleets: one unknown CLB
/// once failed every load balancer target of the run).
final class LoadBalancerListingTests: XCTestCase {
  private func world() async throws -> FakeCloud {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"])
    let defId = await cloud.addCAS(def)
    await cloud.addListener("lsr-a", loadBalancer: "alb-a", defaultCertificate: defId)
    await cloud.addListener("nlb:lsn-b", loadBalancer: "nlb:nlb-b", protocol: "TCPSSL", defaultCertificate: defId)
    await cloud.forget(loadBalancer: "clb:lb-gone")
    return cloud
  }

  private let targets: [DeploymentTarget] = [
    .loadBalancer("alb-a", protocols: nil, ports: nil), .loadBalancer("nlb:nlb-b", protocols: nil, ports: nil),
    .loadBalancer("clb:lb-gone", protocols: nil, ports: nil),
  ]

  func testThePreCheckNamesOnlyTheLoadBalancerThatCannotBeListed() async throws {
    let cloud = try await world()
    let resolved = await TargetCheck(backend: cloud).resolve([targets])
    XCTAssertEqual(resolved[0].listenerIds, ["lsr-a", "nlb:lsn-b", "clb:lb-gone"])
    XCTAssertEqual(resolved[0].problems.count, 1, "\(resolved[0].problems)")
    XCTAssertTrue(resolved[0].problems[0].hasPrefix("cannot list the listeners of clb:lb-gone"), resolved[0].problems[0])
  }

  func testThePlannerResolvesTheOthers() async throws {
    let cloud = try await world()
    let planner = DeploymentPlanner(
      backend: cloud, catalog: CertificateCatalog(backend: cloud, state: StateStore(path: nil)), now: Fixtures.now,
      logger: Logger(label: "test"))
    let resolved = await planner.resolve(targets)
    XCTAssertEqual(resolved.listeners.map(\.id), ["lsr-a", "nlb:lsn-b"])
    XCTAssertEqual(resolved.failures.map(\.listenerId), ["clb:lb-gone"])
    XCTAssertTrue(resolved.failures[0].error?.contains("InvalidLoadBalancerId.NotFound") == true)
  }
}
