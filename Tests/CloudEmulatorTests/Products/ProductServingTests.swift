import CertificateKit
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 13 with `--serve-tls`: NLB TCPSSL, GA and CLB HTTPS listeners terminate TLS like ALB's (load balancer N of
/// the seed at 127.0.1.N); GA and CLB pick the certificate by domain binding, and an in-place swap keeps serving the
/// old certificate until the new one serves.
final class ProductServingTests: XCTestCase {
  func start() async throws -> (EmulatorHarness, offset: Int) {
    let port = try LoopbackPort.free(address: "127.0.1.1")
    let h = try await EmulatorHarness.start(seed: ProductSeeds.mixed()) { configuration in
      configuration.serveTLS = true
      configuration.tlsPortOffset = port - 443
    }
    addTeardownBlock { await h.stop() }
    return (h, port - 443)
  }

  func served(_ address: String, _ offset: Int, _ name: String) throws -> String? {
    try TLSTestTools.sClient(address: address, port: 443 + offset, serverName: name).first?.sha256Fingerprint
  }

  func sha(_ h: EmulatorHarness, _ identifier: String) async -> String? {
    await h.server.state().certificates.first { $0.certIdentifier == identifier }?.sha2
  }

  func testNLBGAAndCLBListenersServeWhatTheyHold() async throws {
    let (h, offset) = try await start()
    let state = await h.server.state()
    XCTAssertEqual(state.dns?["\(ProductSeeds.nlb).cn-hangzhou.nlb.aliyuncsslb.com"], "127.0.1.2")
    XCTAssertEqual(state.listener(ProductSeeds.gaListener)?.tlsEndpoint, "127.0.1.3:\(443 + offset)")

    // NLB: an additional certificate serves once its job has associated it.
    let nlbCert = try await h.upload(name: "nlb", domains: ["nlb.example.test"], days: 3650)
    let nlb = try await h.callWithForm(
      "AssociateAdditionalCertificatesWithListener",
      [("ListenerId", ProductSeeds.nlbListener), ("AdditionalCertificateIds.1", nlbCert.identifier)], product: .nlb)
    XCTAssertEqual(nlb.status, 200, nlb.message)
    let nlbSha = await sha(h, nlbCert.identifier)
    XCTAssertNotEqual(try served("127.0.1.2", offset, "nlb.example.test"), nlbSha, "not while Associating")
    h.finishJobs()
    XCTAssertEqual(try served("127.0.1.2", offset, "nlb.example.test"), nlbSha)

    // GA: the binding's domain picks the certificate; an in-place swap serves the old one until it ends.
    let old = try await h.upload(name: "old", domains: ["www.example.test"], days: 3650)
    let new = try await h.upload(name: "new", domains: ["www.example.test"], days: 3650)
    let ga: [(String, String)] = [
      ("RegionId", "cn-hangzhou"), ("AcceleratorId", ProductSeeds.ga), ("ListenerId", ProductSeeds.gaListener),
    ]
    let bound = try await h.call(
      "AssociateAdditionalCertificatesWithListener",
      ga + [("Certificates.1.Id", old.identifier), ("Certificates.1.Domain", "www.example.test")], product: .ga)
    XCTAssertEqual(bound.status, 200, bound.message)
    h.finishJobs()
    let oldSha = await sha(h, old.identifier)
    let newSha = await sha(h, new.identifier)
    XCTAssertEqual(try served("127.0.1.3", offset, "www.example.test"), oldSha)
    let swap = try await h.call(
      "UpdateAdditionalCertificateWithListener",
      ga + [("Domain", "www.example.test"), ("CertificateId", new.identifier)], product: .ga)
    XCTAssertEqual(swap.status, 200, swap.message)
    XCTAssertEqual(
      try served("127.0.1.3", offset, "www.example.test"), oldSha, "the old certificate serves during the swap")
    h.finishJobs()
    XCTAssertEqual(try served("127.0.1.3", offset, "www.example.test"), newSha)
    XCTAssertNotEqual(try served("127.0.1.3", offset, "other.example.test"), newSha, "other names get the default")

    // CLB: a domain extension's server certificate (copied from CAS) serves its domain at once.
    let clbCert = try await h.upload(name: "clb", domains: ["shop.example.test"], days: 3650)
    let server = try await h.call(
      "UploadServerCertificate",
      [
        ("RegionId", "cn-hangzhou"), ("AliCloudCertificateId", String(clbCert.certId)),
        ("AliCloudCertificateName", "clb"),
        ("AliCloudCertificateRegionId", "cn-hangzhou"),
      ], product: .slb)
    let serverId = try XCTUnwrap(server.string("ServerCertificateId"))
    let created = try await h.call(
      "CreateDomainExtension",
      [
        ("RegionId", "cn-hangzhou"), ("LoadBalancerId", ProductSeeds.clb), ("ListenerPort", "443"),
        ("Domain", "shop.example.test"), ("ServerCertificateId", serverId),
      ], product: .slb)
    XCTAssertEqual(created.status, 200, created.message)
    let clbSha = await sha(h, clbCert.identifier)
    XCTAssertEqual(try served("127.0.1.4", offset, "shop.example.test"), clbSha)
  }

  /// The name each product's API gives clients (NLB `DNSName`, GA `DnsName`, CLB `Address`) is a key of
  /// `/_emulator/state` `dns`, mapped to the loopback address its listeners are served on.
  func testEveryProductsAPINameMapsToItsServingAddress() async throws {
    let (h, _) = try await start()
    let state = await h.server.state()
    let dns = try XCTUnwrap(state.dns)
    let nlb = try await h.call(
      "GetLoadBalancerAttribute", [("LoadBalancerId", ProductSeeds.nlb), ("RegionId", "cn-hangzhou")], product: .nlb)
    XCTAssertEqual(dns[try XCTUnwrap(nlb.string("DNSName"))], "127.0.1.2", nlb.message)
    let ga = try await h.call(
      "DescribeAccelerator", [("AcceleratorId", ProductSeeds.ga), ("RegionId", "cn-hangzhou")], product: .ga)
    XCTAssertEqual(dns[try XCTUnwrap(ga.string("DnsName"))], "127.0.1.3", ga.message)
    let clb = try await h.call(
      "DescribeLoadBalancerAttribute", [("LoadBalancerId", ProductSeeds.clb), ("RegionId", "cn-hangzhou")],
      product: .slb)
    XCTAssertEqual(clb.string("Address"), "192.0.2.4", "TEST-NET-1, one address per instance")
    XCTAssertEqual(dns["192.0.2.4"], "127.0.1.4")
  }
}
