import AlibabaCloud
import Foundation
import XCTest

@testable import CloudEmulator
import CertHookTestSupport

/// Issue 9's fidelity points (CAS site identifiers, IDs that never repeat, model shapes, a busy load balancer)
/// and issue 11's emulator bounds (nonces kept for the acceptance window, empty nonces refused).
final class FidelityTests: XCTestCase {
  func start(seed: EmulatorSeed = .default, configure: @escaping (inout EmulatorConfiguration) -> Void = { _ in })
    async throws -> EmulatorHarness
  {
    let harness = try await EmulatorHarness.start(seed: seed, configure: configure)
    addTeardownBlock { await harness.stop() }
    return harness
  }

  func seed(region: String, casRegion: String? = nil) -> EmulatorSeed {
    var seed = EmulatorSeed.default
    seed.region = region
    seed.casRegion = casRegion
    return seed
  }

  // MARK: CAS site

  func testCertIdentifierCarriesTheCASSiteRegionNotTheLoadBalancers() async throws {
    for (region, casRegion, suffix) in [
      ("cn-zhangjiakou", nil, "-cn-hangzhou"), ("cn-hangzhou", nil, "-cn-hangzhou"),
      ("ap-southeast-5", nil, "-ap-southeast-1"), ("eu-central-1", nil, "-ap-southeast-1"),
      ("cn-zhangjiakou", "ap-southeast-1", "-ap-southeast-1"),
    ] as [(String, String?, String)] {
      let h = try await start(seed: seed(region: region, casRegion: casRegion))
      let up = try await h.upload(name: "site-\(region)", domains: ["site.example.test"])
      let detail = try await h.call("GetUserCertificateDetail", [("CertId", String(up.certId)), ("CertFilter", "true")])
      XCTAssertEqual(detail.string("CertIdentifier"), "\(up.certId)\(suffix)", region)
      // The load balancer in `region` accepts the site's identifier ...
      let ok = try await h.call(
        "AssociateAdditionalCertificatesWithListener",
        [("ListenerId", "lsr-emulator-443"), ("Certificates.1.CertificateId", "\(up.certId)\(suffix)")])
      XCTAssertEqual(ok.status, 200, "\(region): \(ok.code ?? "") \(ok.message)")
      h.finishJobs()
      // ... and not one built from its own region.
      if !suffix.hasSuffix(region) {
        h.clock.advance(1)
        let wrong = try await h.call(
          "AssociateAdditionalCertificatesWithListener",
          [("ListenerId", "lsr-emulator-443"), ("Certificates.1.CertificateId", "\(up.certId)-\(region)")])
        XCTAssertEqual(wrong.code, "ResourceNotFound.Certificate", region)
      }
      let state = await h.server.state()
      XCTAssertTrue(state.certificates.allSatisfy { $0.certIdentifier.hasSuffix(suffix) }, region)
    }
  }

  // MARK: IDs

  func testCertificateIDsNeverRepeatAcrossEmulatorRuns() async throws {
    var seen: Set<Int> = []
    for run in 0..<3 {
      let clock = TestClock(TestClock.reference.addingTimeInterval(Double(run) * 1.5))
      let server = try await EmulatorServer.start(EmulatorConfiguration(jobDelay: .milliseconds(50), clock: clock.function))
      let h = try EmulatorHarness(server: server, clock: clock)
      for i in 0..<3 {
        let up = try await h.upload(name: "run-\(run)-\(i)", domains: ["ids.example.test"])
        XCTAssertTrue(seen.insert(up.certId).inserted, "CertId \(up.certId) handed out twice (run \(run))")
      }
      let preloaded = await server.state().certificates.map(\.certId)
      for id in preloaded where run > 0 {
        XCTAssertGreaterThan(id, 13_781_100, "seeded certificates take time-derived IDs too")
      }
      await server.stop()
    }
    XCTAssertEqual(seen.count, 9)
  }

  // MARK: Shapes

  func testAnswersHaveTheSDKModelsShapes() async throws {
    let h = try await start()
    let up = try await h.upload(name: "shape", domains: ["shape.example.test"])
    let detail = try await h.call("GetUserCertificateDetail", [("CertId", String(up.certId))])
    let chain = try XCTUnwrap(detail.array("CertChain").first)
    XCTAssertEqual(Set(chain.keys), ["CommonName", "IssuerCommonName", "NotBefore", "NotAfter", "RemainDay"])
    XCTAssertNotNil(chain["NotAfter"] as? NSNumber, "NotAfter is an integer (ms), not a date string")
    XCTAssertEqual((chain["NotAfter"] as? NSNumber)?.int64Value, (detail.json["NotAfter"] as? NSNumber)?.int64Value)
    XCTAssertEqual((chain["RemainDay"] as? NSNumber)?.intValue, 90)
    XCTAssertEqual(detail.string("CertSha2"), detail.string("Sha2"))

    let list = try await h.call("ListUserCertificateOrder", [("OrderType", "UPLOAD"), ("Keyword", "shape")])
    let item = try XCTUnwrap(list.array("CertificateOrderList").first)
    XCTAssertNil(item["CertIdentifier"], "the list model has no CertIdentifier")
    XCTAssertEqual((item["CertificateId"] as? NSNumber)?.intValue, up.certId)

    let attribute = try await h.call("GetListenerAttribute", [("ListenerId", "lsr-emulator-443")])
    XCTAssertNil(attribute.json["RegionId"], "the model has no RegionId")
    let action = try XCTUnwrap(attribute.array("DefaultActions").first)
    XCTAssertEqual(action["Type"] as? String, "ForwardGroup")
    XCTAssertNotNil((attribute.json["QuicConfig"] as? [String: Any])?["QuicUpgradeEnabled"] as? Bool)
    let listed = try await h.call("ListListeners")
    XCTAssertTrue(listed.array("Listeners").allSatisfy { $0["DefaultActions"] != nil })

    // Name is optional on upload (at most 128 characters).
    let pem = try Fixtures.issue(domains: ["noname.example.test"], now: h.clock.now)
    let unnamed = try await h.call("UploadUserCertificate", [("Cert", pem.cert), ("Key", pem.key)])
    XCTAssertEqual(unnamed.status, 200, unnamed.message)
    let long = try await h.call(
      "UploadUserCertificate", [("Name", String(repeating: "n", count: 129)), ("Cert", pem.cert), ("Key", pem.key)])
    XCTAssertEqual(long.code, "InvalidParameter")
  }

  // MARK: Busy load balancer

  func testBusyLoadBalancerFaultAnswersUpdateListenerAttributeOnly() async throws {
    XCTAssertEqual(try FaultSpec.parse("busy-lb=0.25").busyLoadBalancer, 0.25)
    XCTAssertThrowsError(try FaultSpec.parse("busy-lb=2"))
    let h = try await start { $0.faults = try! FaultSpec.parse("busy-lb=1") }
    let read = try await h.call("ListListeners")
    XCTAssertEqual(read.status, 200, "other operations are not affected")
    let busy = try await h.call(
      "UpdateListenerAttribute", [("ListenerId", "lsr-emulator-443"), ("ListenerDescription", "x")])
    XCTAssertEqual(busy.status, 400)
    XCTAssertEqual(busy.code, "IncorrectBusinessStatus.LoadBalancer")
    let log = await h.server.requestLog()
    XCTAssertEqual(log.last?.fault, "busy-lb")
    XCTAssertTrue(ApiAction.named("UpdateListenerAttribute")?.retryableCodes.contains(busy.code ?? "") ?? false)
  }

  // MARK: Nonces (issue 11)

  /// A request dated 14.5 minutes ahead is accepted until 29.5 minutes from now: its nonce must be kept as long.
  func testNonceIsKeptForTheWholeAcceptanceWindow() async throws {
    let h = try await start()
    let ahead = h.clock.now.addingTimeInterval(14.5 * 60)
    let headers = HandSigner.v3(
      .init(host: h.host, action: "ListListeners", version: "2020-06-16", date: ahead, nonce: "future-nonce"))
    let first = try await h.client.send(headers: headers)
    XCTAssertEqual(first.status, 200, first.message)
    h.clock.advance(15 * 60 + 10)
    let replay = try await h.client.send(headers: headers)
    XCTAssertEqual(replay.code, "SignatureNonceUsed", "replayed at +15:10 while its date is still accepted")
    h.clock.advance(15 * 60)
    let stale = try await h.client.send(headers: headers)
    XCTAssertEqual(stale.code, "InvalidTimeStamp.Expired")
  }

  func testEmptyNonceIsRefused() async throws {
    let h = try await start()
    let v3 = try await h.client.send(
      headers: HandSigner.v3(
        .init(host: h.host, action: "ListListeners", version: "2020-06-16", date: h.clock.now, nonce: "")))
    XCTAssertEqual(v3.status, 400)
    XCTAssertEqual(v3.code, "MissingSignatureNonce")
    let v1 = HandSigner.v1(
      method: "POST", params: [("Action", "ListListeners"), ("Version", "2020-06-16")], date: h.clock.now, nonce: "")
    let reply = try await h.client.send(query: v1)
    XCTAssertEqual(reply.code, "MissingSignatureNonce")
  }
}
