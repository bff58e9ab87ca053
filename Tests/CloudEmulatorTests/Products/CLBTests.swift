import AlibabaCloud
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 13, CLB (SLB 2014-05-15): server certificates from a CAS certificate or a PEM pair (SLB's fingerprint
/// form), XML-style wrapped lists, the default certificate, domain extensions swapped in place, quotas per listener
/// and per region, and `CertificateAndPrivateKeyIsRefered` for a certificate in use.
final class CLBTests: XCTestCase {
  let lb = ProductSeeds.clb

  func start() async throws -> EmulatorHarness {
    let h = try await EmulatorHarness.start(seed: ProductSeeds.mixed())
    addTeardownBlock { await h.stop() }
    return h
  }

  func slb(_ h: EmulatorHarness, _ action: String, _ params: [(String, String)]) async throws -> Reply {
    try await h.call(action, [("RegionId", "cn-hangzhou")] + params, product: .slb)
  }

  func fromCAS(_ h: EmulatorHarness, _ cas: (certId: Int, identifier: String), name: String) async throws -> Reply {
    try await slb(
      h, "UploadServerCertificate",
      [
        ("AliCloudCertificateId", String(cas.certId)), ("AliCloudCertificateName", name),
        ("AliCloudCertificateRegionId", "cn-hangzhou"), ("ServerCertificateName", name),
      ])
  }

  func serverCertificates(_ h: EmulatorHarness) async throws -> [[String: Any]] {
    let reply = try await slb(h, "DescribeServerCertificates", [])
    return (reply.json["ServerCertificates"] as? [String: Any])?["ServerCertificate"] as? [[String: Any]] ?? []
  }

  func testServerCertificateFromCASHasSLBsFingerprintAndWrappedLists() async throws {
    let h = try await start()
    let cas = try await h.upload(name: "www", domains: ["www.example.com", "api.example.com"])
    let up = try await fromCAS(h, cas, name: "www")
    XCTAssertEqual(up.status, 200, up.message)
    let detail = try await h.call("GetUserCertificateDetail", [("CertId", String(cas.certId))])
    let casPrint = try XCTUnwrap(detail.string("Fingerprint")).lowercased()
    let pairs = stride(from: 0, to: casPrint.count, by: 2).map {
      String(
        casPrint[
          casPrint.index(casPrint.startIndex, offsetBy: $0)..<casPrint.index(casPrint.startIndex, offsetBy: $0 + 2)])
    }
    XCTAssertEqual(up.string("Fingerprint"), pairs.joined(separator: ":"))
    XCTAssertEqual(up.int("IsAliCloudCertificate"), 1)
    XCTAssertEqual(up.string("AliCloudCertificateId"), String(cas.certId))
    let sans = (up.json["SubjectAlternativeNames"] as? [String: Any])?["SubjectAlternativeName"] as? [String]
    XCTAssertEqual(Set(sans ?? []), ["www.example.com", "api.example.com"])
    let listed = try await serverCertificates(h)
    XCTAssertTrue(listed.contains { $0["ServerCertificateId"] as? String == up.string("ServerCertificateId") })
    let missing = try await slb(
      h, "UploadServerCertificate",
      [
        ("AliCloudCertificateId", "42"), ("AliCloudCertificateName", "x"),
        ("AliCloudCertificateRegionId", "cn-hangzhou"),
      ])
    XCTAssertEqual(missing.status, 404)
  }

  func testABadPEMPairIsRefusedWithNothingCreated() async throws {
    let h = try await start()
    let before = try await serverCertificates(h).count
    let one = try Fixtures.issue(domains: ["a.example.com"], now: h.clock.now)
    let other = try Fixtures.issue(domains: ["b.example.com"], now: h.clock.now)
    let mismatch = try await slb(
      h, "UploadServerCertificate",
      [("ServerCertificate", one.cert), ("PrivateKey", other.key), ("ServerCertificateName", "m")])
    XCTAssertEqual(mismatch.code, "CertificateAndPrivateKeyMismatch")
    let garbage = try await slb(
      h, "UploadServerCertificate", [("ServerCertificate", "not a pem"), ("PrivateKey", one.key)])
    XCTAssertEqual(garbage.status, 400)
    let after = try await serverCertificates(h).count
    XCTAssertEqual(before, after)
    let good = try await slb(
      h, "UploadServerCertificate",
      [("ServerCertificate", one.cert), ("PrivateKey", one.key), ("ServerCertificateName", "a")])
    XCTAssertEqual(good.status, 200, good.message)
    XCTAssertEqual(good.int("IsAliCloudCertificate"), 0)
  }

  func testDomainExtensionsQuotaSwapAndInUseDeleteRefusal() async throws {
    let h = try await start()
    let old = try await fromCAS(h, try await h.upload(name: "o", domains: ["www.example.com"]), name: "o")
      .string("ServerCertificateId")
    let new = try await fromCAS(h, try await h.upload(name: "n", domains: ["www.example.com"]), name: "n")
      .string("ServerCertificateId")
    let oldId = try XCTUnwrap(old)
    let newId = try XCTUnwrap(new)
    let created = try await slb(
      h, "CreateDomainExtension",
      [("LoadBalancerId", lb), ("ListenerPort", "443"), ("Domain", "www.example.com"), ("ServerCertificateId", oldId)])
    XCTAssertEqual(created.status, 200, created.message)
    let extensionId = try XCTUnwrap(created.string("DomainExtensionId"))
    XCTAssertEqual(created.int("ListenerPort"), 443)
    let second = try await slb(
      h, "CreateDomainExtension",
      [("LoadBalancerId", lb), ("ListenerPort", "443"), ("Domain", "api.example.com"), ("ServerCertificateId", newId)])
    XCTAssertEqual(second.code, "QuotaExceeded.DomainExtension", "the seed's quota is 1 per listener")

    let refused = try await slb(h, "DeleteServerCertificate", [("ServerCertificateId", oldId)])
    XCTAssertEqual(refused.code, "CertificateAndPrivateKeyIsRefered")
    let swap = try await slb(
      h, "SetDomainExtensionAttribute", [("DomainExtensionId", extensionId), ("ServerCertificateId", newId)])
    XCTAssertEqual(swap.status, 200, swap.message)
    let listener = try await slb(
      h, "DescribeLoadBalancerHTTPSListenerAttribute", [("LoadBalancerId", lb), ("ListenerPort", "443")])
    let extensions = (listener.json["DomainExtensions"] as? [String: Any])?["DomainExtension"] as? [[String: Any]]
    XCTAssertEqual(extensions?.first?["ServerCertificateId"] as? String, newId)
    XCTAssertEqual(extensions?.first?["DomainExtensionId"] as? String, extensionId)
    let deleted = try await slb(h, "DeleteServerCertificate", [("ServerCertificateId", oldId)])
    XCTAssertEqual(deleted.status, 200, "no longer in use: \(deleted.message)")
    let events = await h.server.events().filter { $0.listenerId == "\(lb):443" && $0.kind != .listenerStatus }
    let associated = try XCTUnwrap(events.first { $0.kind == .certificateAssociated && $0.certificateId == newId })
    let leaving = try XCTUnwrap(events.first { $0.kind == .certificateDissociating && $0.certificateId == oldId })
    XCTAssertLessThan(associated.seq, leaving.seq)
    XCTAssertEqual(associated.domains, ["www.example.com"], "events carry the server certificate's names")
    let gone = try await slb(h, "DeleteDomainExtension", [("DomainExtensionId", extensionId)])
    XCTAssertEqual(gone.status, 200)
    let unknown = try await slb(h, "DeleteDomainExtension", [("DomainExtensionId", extensionId)])
    XCTAssertEqual(unknown.code, "InvalidParameter.DomainExtensionId")
  }

  func testDefaultCertificateDryRunAndRegionQuota() async throws {
    let h = try await start()
    let cas = try await h.upload(name: "d", domains: ["d.example.com"])
    let uploaded = try await fromCAS(h, cas, name: "d")
    let id = try XCTUnwrap(uploaded.string("ServerCertificateId"))
    let dry = try await slb(
      h, "SetLoadBalancerHTTPSListenerAttribute",
      [("LoadBalancerId", lb), ("ListenerPort", "443"), ("ServerCertificateId", id), ("DryRun", "true")])
    XCTAssertEqual(dry.code, "DryRunOperation")
    let unchanged = try await slb(
      h, "DescribeLoadBalancerHTTPSListenerAttribute", [("LoadBalancerId", lb), ("ListenerPort", "443")])
    XCTAssertNotEqual(unchanged.string("ServerCertificateId"), id)
    XCTAssertEqual(unchanged.string("Status"), "running")
    let set = try await slb(
      h, "SetLoadBalancerHTTPSListenerAttribute",
      [("LoadBalancerId", lb), ("ListenerPort", "443"), ("ServerCertificateId", id)])
    XCTAssertEqual(set.status, 200, set.message)
    let changed = try await slb(
      h, "DescribeLoadBalancerHTTPSListenerAttribute", [("LoadBalancerId", lb), ("ListenerPort", "443")])
    XCTAssertEqual(changed.string("ServerCertificateId"), id)
    // The seed allows 3 server certificates: the listener's initial one and `id` exist, one more fits.
    let third = try await fromCAS(h, cas, name: "d2")
    XCTAssertEqual(third.status, 200, third.message)
    let fourth = try await fromCAS(h, cas, name: "d3")
    XCTAssertEqual(fourth.code, "QuotaExceeded.ServerCertificate")
    let noLB = try await slb(
      h, "DescribeLoadBalancerHTTPSListenerAttribute", [("LoadBalancerId", "lb-nope"), ("ListenerPort", "443")])
    XCTAssertEqual(noLB.code, "InvalidLoadBalancerId.NotFound")
    let noPort = try await slb(h, "DescribeLoadBalancerHTTPSListenerAttribute", [("LoadBalancerId", lb)])
    XCTAssertEqual(noPort.code, "MissingParameter")
    let badPort = try await slb(
      h, "DescribeLoadBalancerHTTPSListenerAttribute", [("LoadBalancerId", lb), ("ListenerPort", "99999")])
    XCTAssertEqual(badPort.code, "InvalidParameter")
    let noCert = try await slb(h, "DeleteServerCertificate", [("ServerCertificateId", "nope")])
    XCTAssertEqual(noCert.code, "ServerCertificateId.NotFound")
    let state = await h.server.state()
    XCTAssertEqual(state.serverCertificates?.count, 3)
    XCTAssertEqual(state.loadBalancers.first { $0.id == lb }?.product, "clb")
  }
}
