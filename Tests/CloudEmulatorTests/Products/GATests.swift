import AlibabaCloud
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 13, Global Accelerator: per-domain bindings (one certificate per domain), writes that leave the listener
/// `updating` until they end, the accelerator's exclusive lock (`StateError.Accelerator`), the in-place swap with no
/// moment without a certificate for the domain, the per-listener quota and `RegionId=cn-hangzhou`.
final class GATests: XCTestCase {
  let accelerator = ProductSeeds.ga
  let listener = ProductSeeds.gaListener

  func start() async throws -> EmulatorHarness {
    let h = try await EmulatorHarness.start(seed: ProductSeeds.mixed())
    addTeardownBlock { await h.stop() }
    return h
  }

  func ga(_ h: EmulatorHarness, _ action: String, _ params: [(String, String)]) async throws -> Reply {
    try await h.call(action, [("RegionId", "cn-hangzhou")] + params, product: .ga)
  }

  func bind(_ h: EmulatorHarness, _ pairs: [(domain: String, id: String)]) async throws -> Reply {
    var params = [("AcceleratorId", accelerator), ("ListenerId", listener)]
    for (n, pair) in pairs.enumerated() {
      params += [("Certificates.\(n + 1).Id", pair.id), ("Certificates.\(n + 1).Domain", pair.domain)]
    }
    return try await ga(h, "AssociateAdditionalCertificatesWithListener", params)
  }

  /// Domain -> (certificate, State) of the additional certificates.
  func bindings(_ h: EmulatorHarness) async throws -> [String: (String, String)] {
    let reply = try await ga(
      h, "ListListenerCertificates", [("AcceleratorId", accelerator), ("ListenerId", listener), ("Role", "additional")])
    XCTAssertEqual(reply.status, 200, reply.message)
    var out: [String: (String, String)] = [:]
    for c in reply.array("Certificates") {
      out[c["Domain"] as? String ?? ""] = (c["CertificateId"] as? String ?? "", c["State"] as? String ?? "")
    }
    return out
  }

  func acceleratorState(_ h: EmulatorHarness) async throws -> String? {
    try await ga(h, "DescribeAccelerator", [("AcceleratorId", accelerator)]).string("State")
  }

  func testBindingsRunUnderTheAcceleratorsExclusiveLock() async throws {
    let h = try await start()
    let a = try await h.upload(name: "a", domains: ["a.example.com"])
    let b = try await h.upload(name: "b", domains: ["b.example.com"])
    let bound = try await bind(h, [("a.example.com", a.identifier)])
    XCTAssertEqual(bound.status, 200, bound.message)
    XCTAssertEqual(bound.string("ListenerId"), listener)
    XCTAssertNil(bound.string("JobId"), "GA answers no JobId")
    let listenerState = try await ga(h, "DescribeListener", [("ListenerId", listener)]).string("State")
    XCTAssertEqual(listenerState, "updating")
    let busy = try await acceleratorState(h)
    XCTAssertEqual(busy, "configuring")
    let during = try await bindings(h)
    XCTAssertEqual(during["a.example.com"]?.1, "updating")
    let locked = try await bind(h, [("b.example.com", b.identifier)])
    XCTAssertEqual(locked.code, "StateError.Accelerator")
    XCTAssertTrue(ApiAction.isRetryable("StateError.Accelerator", action: nil))
    h.finishJobs()
    let active = try await acceleratorState(h)
    XCTAssertEqual(active, "active")
    let after = try await bindings(h)
    XCTAssertEqual(after["a.example.com"]?.0, a.identifier)
    XCTAssertEqual(after["a.example.com"]?.1, "active")
    let duplicate = try await bind(h, [("a.example.com", b.identifier)])
    XCTAssertEqual(duplicate.code, "Exist.Domain", "one certificate per domain")

    let off = try await ga(
      h, "DissociateAdditionalCertificatesFromListener",
      [("AcceleratorId", accelerator), ("ListenerId", listener), ("Domains.1", "a.example.com")])
    XCTAssertEqual(off.status, 200, off.message)
    h.finishJobs()
    let empty = try await bindings(h)
    XCTAssertTrue(empty.isEmpty)
  }

  /// Renewal swaps the certificate of a domain in place: until the job ends the old one stays bound (and serves),
  /// then the new one takes over at the same instant the old one goes.
  func testInPlaceSwapLeavesNoMomentWithoutACertificate() async throws {
    let h = try await start()
    let old = try await h.upload(name: "old", domains: ["www.example.com"])
    let new = try await h.upload(name: "new", domains: ["www.example.com"])
    _ = try await bind(h, [("www.example.com", old.identifier)])
    h.finishJobs()
    let dry = try await ga(
      h, "UpdateAdditionalCertificateWithListener",
      [
        ("AcceleratorId", accelerator), ("ListenerId", listener), ("Domain", "www.example.com"),
        ("CertificateId", new.identifier), ("DryRun", "true"),
      ])
    XCTAssertEqual(dry.code, "DryRunOperation")
    let swap = try await ga(
      h, "UpdateAdditionalCertificateWithListener",
      [
        ("AcceleratorId", accelerator), ("ListenerId", listener), ("Domain", "www.example.com"),
        ("CertificateId", new.identifier),
      ])
    XCTAssertEqual(swap.status, 200, swap.message)
    let during = try await bindings(h)
    XCTAssertEqual(during["www.example.com"]?.0, old.identifier, "the old certificate stays bound while updating")
    XCTAssertEqual(during["www.example.com"]?.1, "updating")
    h.finishJobs()
    let after = try await bindings(h)
    XCTAssertEqual(after["www.example.com"]?.0, new.identifier)
    let events = await h.server.events().filter { $0.listenerId == listener && $0.kind != .listenerStatus }
    let associated = try XCTUnwrap(
      events.first { $0.kind == .certificateAssociated && $0.certificateId == new.identifier })
    let leaving = try XCTUnwrap(
      events.first { $0.kind == .certificateDissociating && $0.certificateId == old.identifier })
    XCTAssertEqual(associated.time, leaving.time)
    XCTAssertLessThan(associated.seq, leaving.seq, "the new certificate serves before the old one stops")
  }

  func testQuotaPerListenerAndRegion() async throws {
    let h = try await start()
    var pairs: [(domain: String, id: String)] = []
    for n in 0..<3 {
      pairs.append(("d\(n).example.com", try await h.upload(name: "d\(n)", domains: ["d\(n).example.com"]).identifier))
    }
    let full = try await bind(h, pairs)
    XCTAssertEqual(full.code, "QuotaExceeded.Certificate", "the seed's quota is 2 per listener")
    let none = try await bindings(h)
    XCTAssertTrue(none.isEmpty, "nothing half-done")
    let missingRegion = try await h.call("DescribeAccelerator", [("AcceleratorId", accelerator)], product: .ga)
    XCTAssertEqual(missingRegion.code, "MissingParameter")
    let otherRegion = try await h.call(
      "DescribeAccelerator", [("RegionId", "cn-beijing"), ("AcceleratorId", accelerator)], product: .ga)
    XCTAssertEqual(otherRegion.code, "InvalidRegionId")
    let unknown = try await ga(h, "DescribeAccelerator", [("AcceleratorId", "ga-nope")])
    XCTAssertEqual(unknown.code, "NotExist.Accelerator")
    let lower = try await ga(h, "ListListeners", [("AcceleratorId", accelerator), ("Protocol", "https")])
    XCTAssertEqual(lower.array("Listeners").count, 1, "the Protocol filter's case is unconfirmed: both match")
  }
}
