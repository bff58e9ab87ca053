import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 13: seeds name each load balancer's product (`product: nlb|ga|clb`, ALB when omitted), listeners with
/// that product's protocols, CLB listeners by port, and the seedable quotas.
final class ProductSeedTests: XCTestCase {
  func write(_ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("seed.yaml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func testProductsDecodeWithTheirQuotasAndCLBListenerIds() async throws {
    let path = try write(
      """
      clbServerCertificateQuota: 7
      loadBalancers:
        - {id: alb-1, listeners: [{id: lsr-1, protocol: HTTPS, port: 443}]}
        - {id: nlb-1, product: nlb, listeners: [{id: lsn-1, protocol: TCPSSL, port: 443}]}
        - {id: ga-1, product: ga, certificateQuota: 10, listeners: [{id: lsr-ga, protocol: HTTPS, port: 443}]}
        - {id: lb-1, product: clb, listeners: [{protocol: HTTPS, port: 8443}]}
      """)
    let seed = try EmulatorSeed.load(path: path)
    XCTAssertEqual(seed.loadBalancers.map(\.product), [.alb, .nlb, .ga, .clb])
    XCTAssertEqual(seed.clbServerCertificateQuota, 7)
    let h = try await EmulatorHarness.start(seed: seed)
    addTeardownBlock { await h.stop() }
    let state = await h.server.state()
    XCTAssertEqual(state.loadBalancers.map(\.certificateQuota), [25, 25, 10, 3])
    XCTAssertEqual(state.loadBalancers.map(\.product), [nil, "nlb", "ga", "clb"])
    XCTAssertEqual(state.listener("lb-1:8443")?.status, "running")
    XCTAssertEqual(state.listener("lsr-ga")?.status, "active")
    XCTAssertNotNil(state.listener("lb-1:8443")?.defaultCertificateId, "a generated default server certificate")
    XCTAssertEqual(state.serverCertificates?.count, 1)
  }

  func testAProtocolOfAnotherProductNamesTheField() throws {
    let path = try write(
      "loadBalancers:\n  - {id: nlb-1, product: nlb, listeners: [{id: l, protocol: HTTPS, port: 443}]}\n")
    XCTAssertThrowsError(try EmulatorSeed.load(path: path)) { error in
      XCTAssertTrue(
        "\(error)".contains("loadBalancers[0].listeners[0].protocol must be TCP, UDP or TCPSSL for nlb"), "\(error)")
    }
    let missing = try write(
      "loadBalancers:\n  - {id: nlb-1, product: nlb, listeners: [{protocol: TCPSSL, port: 443}]}\n")
    XCTAssertThrowsError(try EmulatorSeed.load(path: missing)) { error in
      XCTAssertTrue("\(error)".contains("loadBalancers[0].listeners[0].id is missing"), "\(error)")
    }
    let unknown = try write("loadBalancers:\n  - {id: x-1, product: elb}\n")
    XCTAssertThrowsError(try EmulatorSeed.load(path: unknown)) { error in
      XCTAssertTrue("\(error)".contains("loadBalancers[0].product"), "\(error)")
    }
  }
}

/// Issue 13: `--state` keeps the new products' worlds (GA bindings with a pending swap, CLB server certificates
/// and extensions) across a restart, and a pending GA job finishes after it.
final class ProductPersistenceTests: XCTestCase {
  func testProductStateSurvivesARestart() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("state.json").path
    let h = try await EmulatorHarness.start(seed: ProductSeeds.mixed()) { $0.statePath = path }
    let cert = try await h.upload(name: "p", domains: ["p.example.test"])
    let bound = try await h.call(
      "AssociateAdditionalCertificatesWithListener",
      [
        ("RegionId", "cn-hangzhou"), ("AcceleratorId", ProductSeeds.ga), ("ListenerId", ProductSeeds.gaListener),
        ("Certificates.1.Id", cert.identifier), ("Certificates.1.Domain", "p.example.test"),
      ], product: .ga)
    XCTAssertEqual(bound.status, 200, bound.message)
    let server = try await h.call(
      "UploadServerCertificate",
      [
        ("RegionId", "cn-hangzhou"), ("AliCloudCertificateId", String(cert.certId)), ("AliCloudCertificateName", "p"),
        ("AliCloudCertificateRegionId", "cn-hangzhou"),
      ], product: .slb)
    XCTAssertEqual(server.status, 200, server.message)
    await h.stop()
    let clock = TestClock(h.clock.now.addingTimeInterval(1))
    let restarted = try await EmulatorServer.start(EmulatorConfiguration(statePath: path, clock: clock.function))
    addTeardownBlock { await restarted.stop() }
    let state = await restarted.state()
    XCTAssertEqual(state.listener(ProductSeeds.gaListener)?.status, "active")
    XCTAssertEqual(state.listener(ProductSeeds.gaListener)?.certificates.first?.domain, "p.example.test")
    XCTAssertEqual(state.listener(ProductSeeds.gaListener)?.certificates.first?.status, "Associated")
    XCTAssertEqual(state.serverCertificates?.filter { $0.aliCloudCertificateId == cert.certId }.count, 1)
  }
}
