import AlibabaCloud
import CertHookCore
import CertHookTestSupport
import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// One emulator (the product world of `LoadBalancerWorld`) and a product-aware backend over it, with the steps the
/// per-product lifecycle tests share: `attach` as the CLI runs it (planner + executor), write counts, and the
/// coverage replay of the emulator's event log.
struct ProductLifecycle {
  let harness: EmulatorHarness
  let backend: AlibabaCloudBackend
  let root: URL

  /// Starts the emulator; `drivers` builds the product drivers from the harness.
  static func start(
    seed: EmulatorSeed, jobDelay: Duration = .milliseconds(30), faults: FaultSpec = .none, faultSeed: UInt64 = 1,
    root: URL, drivers: (EmulatorHarness) throws -> [any ListenerDriver]
  ) async throws -> ProductLifecycle {
    let harness = try await EmulatorHarness.startForBackend(
      seed: seed, jobDelay: jobDelay, faults: faults, faultSeed: faultSeed)
    do {
      let backend = AlibabaCloudBackend(
        alb: harness.alb, cas: harness.cas, pollInterval: .milliseconds(15), products: try drivers(harness))
      return ProductLifecycle(harness: harness, backend: backend, root: root)
    } catch {
      await harness.stop()
      throw error
    }
  }

  /// `certhook attach` of `issued` (files), through the real engine.
  func attach(
    _ issued: Issued, listeners: [String] = [], loadBalancers: [String] = [], mode: DeploymentMode = .additional,
    dryRun: Bool = false, key: PrivateKey? = nil, concurrency: Int? = nil
  ) async throws -> BatchResult {
    var reference = try Fixtures.writeFullchain(issued, in: root)
    if let key, case .files(let cert, let keyPath?, let chain) = reference {
      try key.pkcs8PEM().write(toFile: keyPath, atomically: true, encoding: .utf8)
      reference = .files(certificate: cert, key: keyPath, chain: chain)
    }
    var context = Fixtures.context(backend)
    if let concurrency { context.concurrency = concurrency }
    return try await AttachRunner(context: context).run(
      AttachRequest(
        certificate: reference, listeners: listeners, loadBalancers: loadBalancers, mode: mode, dryRun: dryRun))
  }

  /// `certhook upload`: the certificate in CAS, no listener touched.
  func upload(_ issued: Issued) async throws {
    guard case .files(let cert, let key, let chain) = try Fixtures.writeFullchain(issued, in: root) else { return }
    _ = try await UploadRunner(context: Fixtures.context(backend)).run(
      certificatePath: cert, keyPath: key, chainPath: chain)
  }

  /// `attach` refuses an expired certificate, a key that does not match and a client-auth-only certificate
  /// before any API call.
  func assertLocalRefusals(names: [String], listener: String) async throws {
    let cases: [(String, Issued, PrivateKey?)] = [
      ("expired", try Fixtures.leaf(names, from: -90, until: -1), nil),
      ("key mismatch", try Fixtures.leaf(names), try PrivateKey.generate(.ecP256)),
      ("client auth only", try Fixtures.leaf(names, eku: ["clientAuth"]), nil),
    ]
    for (label, issued, wrongKey) in cases {
      do {
        _ = try await attach(issued, listeners: [listener], key: wrongKey)
        XCTFail("\(label): attached")
      } catch let error as CertHookError {
        guard case .refused(let reasons) = error else { return XCTFail("\(label): \(error)") }
        XCTAssertFalse(reasons.isEmpty, label)
      }
    }
  }

  /// Associates a certificate CAS does not know through the backend: returns the API code of the refusal, and
  /// checks that nothing at all was written (no upload, no listener write).
  func unknownCertificateRefusal(listener: String) async throws -> String? {
    var code: String?
    do {
      _ = try await backend.associateCertificates(
        listenerId: listener, certificateIds: ["999999-cn-hangzhou"], clientToken: "bad", dryRun: false)
      XCTFail("an unknown certificate was associated")
    } catch let error as CertHookError {
      code = error.apiCode
    }
    let writes = await harness.writes()
    XCTAssertEqual(writes, [], "no upload, no listener write")
    return code
  }

  /// Attaches a new certificate to a listener whose quota is full: the listener fails naming `quotaName` and the
  /// load balancer, the API's refusal `code` was seen, and nothing changed (no listener write, same certificates:
  /// only `unrelated`).
  func assertQuotaRefusal(
    names: [String], key: String, listener: String, loadBalancerKey: String, quotaName: String, code: String,
    unrelated: String
  ) async throws -> String {
    let before = try await self.listener(listener)
    let writesBefore = await listenerWrites().count
    let result = try await attach(try Fixtures.leaf(names), listeners: [key])
    XCTAssertTrue(result.report.hasFailures)
    let error = try XCTUnwrap(result.report.listeners.first?.error)
    XCTAssertTrue(error.contains(quotaName), error)
    XCTAssertTrue(error.contains(loadBalancerKey), error)
    let after = try await self.listener(listener)
    XCTAssertEqual(after.certificates, before.certificates)
    XCTAssertEqual(after.certificates.map(\.certificateId), [unrelated])
    let writesAfter = await listenerWrites().count
    XCTAssertEqual(writesAfter, writesBefore, "nothing half-done")
    let refused = await harness.server.requestLog().filter { $0.code == code }
    XCTAssertFalse(refused.isEmpty, "the API refused (the quota was not known beforehand)")
    return error
  }

  /// `attach --default` of a new certificate: the listener's default is it, in the emulator and as the engine
  /// lists it (`isDefault`). Returns its identifier and the emulator's listener.
  func assertDefaultReplaced(names: [String], key: String, listener: String) async throws -> (
    String, EmulatorState.Listener
  ) {
    let cert = try Fixtures.leaf(names)
    let result = try await attach(cert, listeners: [key], mode: .default)
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    let id = try await identifier(cert)
    let stored = try await self.listener(listener)
    XCTAssertEqual(stored.defaultCertificateId, id)
    let listed = try await backend.listListenerCertificates(key)
    XCTAssertEqual(listed.filter(\.isDefault).map(\.certificateId), [id])
    return (id, stored)
  }

  /// The CAS identifier of an uploaded certificate.
  func identifier(_ issued: Issued) async throws -> String {
    let found = await harness.identifier(sha256: issued.certificate.sha256Fingerprint)
    return try XCTUnwrap(found, "not uploaded")
  }

  /// Successful, non-dry-run listener writes (uploads to CAS left out).
  func listenerWrites() async -> [RequestRecord] {
    await harness.writes().filter { $0.action != "UploadUserCertificate" }
  }

  /// The emulator's listener (its own ID, not the engine key).
  func listener(_ id: String) async throws -> EmulatorState.Listener {
    let found = await harness.listener(id)
    return try XCTUnwrap(found, "no listener \(id)")
  }

  /// The coverage replay of the whole event log for one listener.
  func coverageGaps(listener: String, domains: [String]) async -> (gaps: [String], covered: Set<String>) {
    Self.coverageGaps(await harness.server.events(), listener: listener, domains: domains)
  }

  /// The coverage replay of an event log (`CoverageReplay`).
  static func coverageGaps(_ events: [EmulatorEvent], listener: String, domains: [String]) -> (
    gaps: [String], covered: Set<String>
  ) {
    CoverageReplay.gaps(events, listener: listener, domains: domains)
  }

  func stop() async {
    await harness.stop()
  }
}

/// The replay itself can fail: a log whose predecessor stops before its successor serves shows the gap.
final class CoverageReplayTests: XCTestCase {
  func testReplayReportsAGapAndAcceptsAnInPlaceSwap() {
    func event(_ seq: Int, _ kind: EmulatorEvent.Kind, _ cert: String, domain: String? = nil) -> EmulatorEvent {
      EmulatorEvent(
        time: Date(timeIntervalSince1970: Double(seq)), seq: seq, kind: kind, listenerId: "l", certificateId: cert,
        detail: domain.map { "domain \($0)" }, domains: ["a.test", "b.test"])
    }
    let broken = [
      event(1, .certificateAssociated, "old"), event(2, .certificateDissociating, "old"),
      event(3, .certificateAssociated, "new"),
    ]
    let result = ProductLifecycle.coverageGaps(broken, listener: "l", domains: ["a.test"])
    XCTAssertEqual(result.gaps.count, 1, "\(result.gaps)")
    let swapped = [
      event(1, .certificateAssociated, "old", domain: "a.test"),
      event(2, .certificateAssociated, "old", domain: "b.test"),
      event(3, .certificateAssociated, "new", domain: "a.test"),
      event(4, .certificateDissociating, "old", domain: "a.test"),
    ]
    let swap = ProductLifecycle.coverageGaps(swapped, listener: "l", domains: ["a.test", "b.test"])
    XCTAssertEqual(swap.gaps, [])
    XCTAssertEqual(swap.covered, ["a.test", "b.test"])
    // A binding serves its domain only: unbinding b.test leaves b.test uncovered although "old" names it.
    let unbound = swapped + [event(5, .certificateDissociating, "old", domain: "b.test")]
    XCTAssertEqual(ProductLifecycle.coverageGaps(unbound, listener: "l", domains: ["b.test"]).gaps.count, 1)
  }
}
