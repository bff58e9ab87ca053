import AlibabaCloud
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 13, NLB: routing by version beside ALB, form-body writes, async jobs (`GetJobStatus`), certificate status
/// `Associating` -> `Associated`, `Diassociating`, the listener lock while `Configuring`, the per-instance quota and
/// DryRun.
final class NLBTests: XCTestCase {
  let listener = ProductSeeds.nlbListener

  func start() async throws -> EmulatorHarness {
    let h = try await EmulatorHarness.start(seed: ProductSeeds.mixed())
    addTeardownBlock { await h.stop() }
    return h
  }

  func nlb(_ h: EmulatorHarness, _ action: String, _ params: [(String, String)]) async throws -> Reply {
    try await h.call(action, params, product: .nlb)
  }

  /// The SDK sends certificate writes as a form body.
  func write(_ h: EmulatorHarness, _ action: String, _ ids: [String], extra: [(String, String)] = []) async throws
    -> Reply
  {
    let params =
      [("ListenerId", listener), ("RegionId", "cn-hangzhou")]
      + ids.enumerated().map { ("AdditionalCertificateIds.\($0.offset + 1)", $0.element) } + extra
    return try await h.callWithForm(action, params, product: .nlb)
  }

  func statuses(_ h: EmulatorHarness) async throws -> [String: String] {
    let reply = try await nlb(h, "ListListenerCertificates", [("ListenerId", listener)])
    return Dictionary(
      uniqueKeysWithValues: reply.array("Certificates").compactMap { c in
        (c["CertificateId"] as? String).map { ($0, c["Status"] as? String ?? "") }
      })
  }

  func testTheSameNamesAnswerPerVersion() async throws {
    let h = try await start()
    let nlbListeners = try await nlb(h, "ListListeners", [])
    XCTAssertEqual(nlbListeners.status, 200, nlbListeners.message)
    XCTAssertEqual(
      Set(nlbListeners.array("Listeners").compactMap { $0["ListenerId"] as? String }), [listener, "lsn-emu-80"])
    let ssl = try await nlb(h, "ListListeners", [("ListenerProtocol", "TCPSSL")])
    XCTAssertEqual(ssl.array("Listeners").compactMap { $0["ListenerId"] as? String }, [listener])
    XCTAssertEqual((ssl.array("Listeners").first?["CertificateIds"] as? [String])?.count, 1, "the default certificate")
    let alb = try await h.call("ListListeners", [])
    XCTAssertEqual(alb.int("TotalCount"), 3, "ALB lists only ALB listeners")
    let crossed = try await nlb(h, "GetListenerAttribute", [("ListenerId", "lsr-emulator-443")])
    XCTAssertEqual(crossed.status, 404)
    XCTAssertEqual(crossed.code, "ResourceNotFound.listener")
    let wrongVersion = try await h.call("GetJobStatus", [("JobId", "x")], product: .alb)
    XCTAssertEqual(wrongVersion.code, "InvalidVersion")
    XCTAssertEqual(ApiAction.named("GetJobStatus", version: "2022-04-30")?.product, .nlb)
    XCTAssertEqual(ApiAction.named("ListListeners")?.product, .alb)
  }

  func testAssociateRunsAJobAndLocksTheListenerUntilItEnds() async throws {
    let h = try await start()
    let a = try await h.upload(name: "a", domains: ["a.example.com"])
    let b = try await h.upload(name: "b", domains: ["b.example.com"])
    let started = try await write(h, "AssociateAdditionalCertificatesWithListener", [a.identifier])
    XCTAssertEqual(started.status, 200, started.message)
    let job = try XCTUnwrap(started.string("JobId"))
    let statusWhileRunning = try await statuses(h)
    XCTAssertEqual(statusWhileRunning[a.identifier], "Associating")
    let attribute = try await nlb(h, "GetListenerAttribute", [("ListenerId", listener)])
    XCTAssertEqual(attribute.string("ListenerStatus"), "Configuring")
    let locked = try await write(h, "AssociateAdditionalCertificatesWithListener", [b.identifier])
    XCTAssertEqual(locked.code, "Conflict.Lock")
    XCTAssertTrue(
      ApiAction.named("AssociateAdditionalCertificatesWithListener", product: .nlb)?.busyCodes.contains("Conflict.Lock")
        ?? false)
    let processing = try await nlb(h, "GetJobStatus", [("JobId", job)])
    XCTAssertEqual(processing.string("Status"), "Processing")
    h.finishJobs()
    let done = try await nlb(h, "GetJobStatus", [("JobId", job)])
    XCTAssertEqual(done.string("Status"), "Succeeded")
    let afterJob = try await statuses(h)
    XCTAssertEqual(afterJob[a.identifier], "Associated")
    let running = try await nlb(h, "GetListenerAttribute", [("ListenerId", listener)])
    XCTAssertEqual(running.string("ListenerStatus"), "Running")

    let off = try await write(h, "DisassociateAdditionalCertificatesWithListener", [a.identifier])
    XCTAssertEqual(off.status, 200, off.message)
    let leaving = try await statuses(h)
    XCTAssertEqual(leaving[a.identifier], "Diassociating")
    h.finishJobs()
    let gone = try await statuses(h)
    XCTAssertNil(gone[a.identifier])
    let events = await h.server.events().filter { $0.listenerId == listener }.map(\.kind.rawValue)
    XCTAssertEqual(
      events.filter { $0.hasPrefix("certificate-") },
      ["certificate-associating", "certificate-associated", "certificate-dissociating", "certificate-dissociated"])
    let unknown = try await nlb(h, "GetJobStatus", [("JobId", "no-such-job")])
    XCTAssertEqual(unknown.status, 404)
    XCTAssertEqual(unknown.code, "ResourceNotFound.JobId")
  }

  func testQuotaPerInstanceDryRunAndClientToken() async throws {
    let h = try await start()
    var ids: [String] = []
    for n in 0..<3 { ids.append(try await h.upload(name: "q\(n)", domains: ["q\(n).example.com"]).identifier) }
    let full = try await write(h, "AssociateAdditionalCertificatesWithListener", ids)
    XCTAssertEqual(full.code, "QuotaExceeded.AdditionalCertificatesNum", "the seed's quota is 2")
    let dry = try await write(
      h, "AssociateAdditionalCertificatesWithListener", Array(ids.prefix(2)), extra: [("DryRun", "true")])
    XCTAssertEqual(dry.code, "DryRunOperation")
    let untouched = try await statuses(h)
    XCTAssertEqual(untouched.count, 1, "only the default certificate")
    let first = try await write(
      h, "AssociateAdditionalCertificatesWithListener", Array(ids.prefix(2)), extra: [("ClientToken", "t-1")])
    let again = try await write(
      h, "AssociateAdditionalCertificatesWithListener", Array(ids.prefix(2)), extra: [("ClientToken", "t-1")])
    XCTAssertEqual(
      first.string("JobId"), again.string("JobId"), "a retry with the same ClientToken answers the first job")
    let bad = try await write(h, "AssociateAdditionalCertificatesWithListener", ["999-cn-hangzhou"])
    XCTAssertEqual(bad.code, "Conflict.Lock")
    h.finishJobs()
    let missing = try await write(h, "AssociateAdditionalCertificatesWithListener", ["999-cn-hangzhou"])
    XCTAssertEqual(missing.code, "ResourceNotFound.certificate")
  }

  func testDefaultCertificateThroughUpdateListenerAttribute() async throws {
    let h = try await start()
    let c = try await h.upload(name: "d", domains: ["d.example.com"])
    let reply = try await h.callWithForm(
      "UpdateListenerAttribute", [("ListenerId", listener), ("CertificateIds.1", c.identifier)], product: .nlb)
    XCTAssertEqual(reply.status, 200, reply.message)
    h.finishJobs()
    let attribute = try await nlb(h, "GetListenerAttribute", [("ListenerId", listener)])
    XCTAssertEqual(attribute.json["CertificateIds"] as? [String], [c.identifier])
    let tcp = try await h.callWithForm(
      "AssociateAdditionalCertificatesWithListener",
      [("ListenerId", "lsn-emu-80"), ("AdditionalCertificateIds.1", c.identifier)],
      product: .nlb)
    XCTAssertEqual(tcp.code, "OperationDenied.ListenerProtocol", "a TCP listener takes no certificate")
  }

  /// `GetLoadBalancerAttribute` (probe): the DNS name `/_emulator/state` maps, DryRun, not found for another
  /// product's instance or region.
  func testLoadBalancerAttributeNamesTheDNSNameTheStateMaps() async throws {
    let h = try await start()
    let reply = try await nlb(
      h, "GetLoadBalancerAttribute", [("LoadBalancerId", ProductSeeds.nlb), ("RegionId", "cn-hangzhou")])
    XCTAssertEqual(reply.status, 200, reply.message)
    XCTAssertEqual(reply.string("DNSName"), "\(ProductSeeds.nlb).cn-hangzhou.nlb.aliyuncsslb.com")
    XCTAssertEqual(reply.string("LoadBalancerStatus"), "Active")
    let state = await h.server.state()
    XCTAssertEqual(state.loadBalancers.first { $0.id == ProductSeeds.nlb }?.dnsName, reply.string("DNSName"))
    let dry = try await nlb(h, "GetLoadBalancerAttribute", [("LoadBalancerId", ProductSeeds.nlb), ("DryRun", "true")])
    XCTAssertEqual(dry.code, "DryRunOperation")
    for (id, region) in [
      ("alb-emulator01", "cn-hangzhou"), (ProductSeeds.clb, "cn-hangzhou"), (ProductSeeds.nlb, "cn-beijing"),
    ] {
      let missing = try await nlb(h, "GetLoadBalancerAttribute", [("LoadBalancerId", id), ("RegionId", region)])
      XCTAssertEqual(missing.status, 404, "\(id) in \(region)")
      XCTAssertEqual(missing.code, "ResourceNotFound.loadbalancer", "\(id) in \(region)")
    }
  }
}
