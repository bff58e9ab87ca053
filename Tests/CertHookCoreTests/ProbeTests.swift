import AlibabaCloud
import CertHookCore
import CertificateKit
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// `probe` and `verify: tls` against the emulator's real TLS listeners.
final class ProbeTests: XCTestCase {
  var root: URL!

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  static let listener = "lsr-p1"
  static let dnsName = "alb-p1.cn-hangzhou.alb.aliyuncs.com"
  static let seed = EmulatorSeed(
    region: "cn-hangzhou", accessKeys: EmulatorSeed.defaultAccessKeys,
    loadBalancers: [.init(id: "alb-p1", edition: .standard, listeners: [.init(id: listener, protocol: "HTTPS", port: 443)])])

  /// An emulator serving TLS for `alb-p1` at 127.0.1.1 on a free port.
  func start(faults: FaultSpec = .none) async throws -> (EmulatorHarness, ProbeResolution) {
    let port = try LoopbackPort.free(address: "127.0.1.1")
    let harness = try await EmulatorHarness.startForBackend(seed: Self.seed, faults: faults, tlsPortOffset: port - 443)
    addTeardownBlock { await harness.stop() }
    return (harness, ProbeResolution(addresses: [Self.dnsName: "127.0.1.1"], portOffset: port - 443))
  }

  func caFile() throws -> String {
    let path = root.appendingPathComponent("ca.pem").path
    try Fixtures.ca.certificate.pem.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Uploads and associates, waiting for the job; returns the ALB identifier.
  func attach(_ issued: Issued, name: String, _ h: EmulatorHarness) async throws -> String {
    let certId = try await h.backend.uploadCertificate(
      name: name, certificatePEM: issued.certificate.pem + Fixtures.ca.certificate.pem,
      keyPEM: try issued.key.pkcs8PEM(), clientToken: "upload-\(name)")
    let identifier = "\(certId)-cn-hangzhou"
    let jobs = try await h.backend.associateCertificates(
      listenerId: Self.listener, certificateIds: [identifier], clientToken: "assoc-\(name)", dryRun: false)
    for job in jobs { try await h.backend.waitForJob(job, timeout: 5) }
    return identifier
  }

  func runner(_ h: EmulatorHarness, _ resolution: ProbeResolution, trust: TrustEvaluator) -> ProbeRunner {
    ProbeRunner(
      context: Fixtures.context(h.backend), directory: h.backend, trust: trust, resolution: resolution,
      timeout: .seconds(3))
  }

  func testProbeReportsTheServedLeafPerDomain() async throws {
    let (h, resolution) = try await start()
    let www = try Fixtures.leaf(["www.example.test"])
    let wildcard = try Fixtures.leaf(["*.example.test"], until: 20)
    let wwwId = try await attach(www, name: "www", h)
    let wildId = try await attach(wildcard, name: "wild", h)
    let probe = runner(h, resolution, trust: TrustEvaluator(roots: .file(try caFile())))
    let report = await probe.run(
      .selectors(listeners: [Self.listener], loadBalancers: [], domains: ["www.example.test", "api.example.test", "other.test"]))
    XCTAssertEqual(report.errors, [])
    let byDomain = Dictionary(uniqueKeysWithValues: report.results.map { ($0.target.domain, $0) })
    let exact = try XCTUnwrap(byDomain["www.example.test"])
    XCTAssertEqual(exact.sha256, www.certificate.sha256Fingerprint)
    XCTAssertEqual(exact.serial, www.certificate.serialNumber)
    XCTAssertEqual(exact.listedCertificateId, wwwId)
    XCTAssertEqual(exact.covers, true)
    XCTAssertEqual(exact.chainTrusted, true)
    XCTAssertEqual(exact.status, "ok")
    let wild = try XCTUnwrap(byDomain["api.example.test"])
    XCTAssertEqual(wild.sha256, wildcard.certificate.sha256Fingerprint)
    XCTAssertEqual(wild.listedCertificateId, wildId)
    XCTAssertEqual(wild.status, "warning", "20 days left is inside the 30-day warning window")
    // Not covered: the listener's generated default is served (listed, but not for this name, and self-signed).
    let other = try XCTUnwrap(byDomain["other.test"])
    XCTAssertEqual(other.covers, false)
    XCTAssertEqual(other.chainTrusted, false)
    XCTAssertNotNil(other.listedCertificateId)
    XCTAssertEqual(other.status, "uncovered")
    XCTAssertEqual(report.exitCode, 2)
    // Domains from the listed certificates' SANs when none are given: the wildcard becomes a probe name.
    let fromSANs = await probe.run(.selectors(listeners: [Self.listener], loadBalancers: [], domains: []))
    let names = Set(fromSANs.results.map(\.target.domain))
    XCTAssertTrue(names.isSuperset(of: ["www.example.test", "certhook-probe.example.test"]), "\(names)")
  }

  func testProbeFlagsAnExpiredCertificate() async throws {
    let (h, resolution) = try await start()
    let expired = try Fixtures.leaf(["old.example.test"], from: -90, until: -1)
    _ = try await attach(expired, name: "expired", h)
    let report = await runner(h, resolution, trust: TrustEvaluator(roots: .file(try caFile()))).run(
      .selectors(listeners: [Self.listener], loadBalancers: [], domains: ["old.example.test"]))
    XCTAssertEqual(report.results.map(\.status), ["expired"])
    XCTAssertEqual(report.results.first?.daysRemaining, -1)
    XCTAssertEqual(report.exitCode, 2)
  }

  func testProbeFlagsACertificateTheAPIDoesNotList() async throws {
    // The data plane keeps presenting what it held at start (no-serve); the API then lists only the new default.
    let (h, resolution) = try await start(faults: try FaultSpec.parse("no-serve=\(Self.listener)"))
    let replacement = try Fixtures.leaf(["www.example.test"])
    let certId = try await h.backend.uploadCertificate(
      name: "replacement", certificatePEM: replacement.certificate.pem, keyPEM: try replacement.key.pkcs8PEM(),
      clientToken: "upload-replacement")
    let job = try await h.backend.replaceDefaultCertificate(
      listenerId: Self.listener, certificateId: "\(certId)-cn-hangzhou", clientToken: "replace", dryRun: false)
    if let job { try await h.backend.waitForJob(job, timeout: 5) }
    let report = await runner(h, resolution, trust: TrustEvaluator(roots: .file(try caFile()))).run(
      .selectors(listeners: [Self.listener], loadBalancers: [], domains: ["lsr-p1.emulator.invalid"]))
    let result = try XCTUnwrap(report.results.first)
    // The stale generated default covers its own name, but the API no longer lists it on the listener.
    XCTAssertEqual(result.covers, true)
    XCTAssertNil(result.listedCertificateId)
    XCTAssertNotEqual(result.sha256, replacement.certificate.sha256Fingerprint)
    XCTAssertEqual(result.status, "unexpected")
    XCTAssertEqual(report.exitCode, 2)
  }

  func testProbeAgainstAnUnreachableAddressReportsEachPairAndExits3() async throws {
    let (h, _) = try await start()
    let closed = try LoopbackPort.free(address: "127.0.1.1")
    let nowhere = ProbeResolution(addresses: [Self.dnsName: "127.0.1.1"], portOffset: closed - 443)
    let report = await runner(h, nowhere, trust: TrustEvaluator(roots: .system)).run(
      .selectors(listeners: [Self.listener], loadBalancers: [], domains: ["a.example.test", "b.example.test"]))
    XCTAssertEqual(report.results.map(\.status), ["unreachable", "unreachable"])
    XCTAssertTrue(report.results.allSatisfy { ($0.error ?? "").contains("127.0.1.1:\(closed)") }, "\(report.results)")
    XCTAssertEqual(report.exitCode, 3)
  }

  func testJudgeIsPure() throws {
    let leaf = try Fixtures.leaf(["www.example.test"])
    let target = ProbeTarget(
      loadBalancerId: "alb", listenerId: "lsr", port: 443, host: "h", domain: "www.example.test",
      listed: [leaf.certificate.sha256Fingerprint: "1-cn-hangzhou"])
    let judge = ProbeJudge(now: Fixtures.now, policy: CheckPolicy(), trust: TrustEvaluator(roots: .file(try caFile())))
    XCTAssertEqual(judge.evaluate(target, endpoint: "e", chain: [leaf.certificate, Fixtures.ca.certificate]).status, "ok")
    var unlisted = target
    unlisted.listed = [:]
    XCTAssertEqual(judge.evaluate(unlisted, endpoint: "e", chain: [leaf.certificate]).status, "unexpected")
    let untrusted = ProbeJudge(now: Fixtures.now, policy: CheckPolicy(), trust: TrustEvaluator(roots: .system))
    let verdict = untrusted.evaluate(target, endpoint: "e", chain: [leaf.certificate])
    XCTAssertEqual(verdict.status, "untrusted")
    XCTAssertNotNil(verdict.chainProblem)
    XCTAssertEqual(judge.evaluate(target, endpoint: "e", chain: []).status, "unreachable")
  }

  // MARK: - verify: tls

  func configuration(lineage: String, timeout: Double) throws -> CertHookConfiguration {
    let yaml = """
      version: 1
      region: cn-hangzhou
      deployments:
        - name: example
          source: {certbotLineage: \(lineage)}
          domains: [www.example.test]
          targets:
            - listener: \(Self.listener)
          verify: tls
          resolve: ["\(Self.dnsName):127.0.1.1"]
          verifyTimeout: \(timeout)
      """
    return try CertHookConfiguration.decode(yaml: yaml, source: "test.yaml").0
  }

  /// Deploys `issued` through the deploy hook with `verify: tls`; the sleeps of the wait are recorded, not slept.
  func deploy(_ issued: Issued, _ h: EmulatorHarness, _ resolution: ProbeResolution, state: StateStore) async throws
    -> (DeployHookResult, [Duration])
  {
    let lineage = try Fixtures.writeLineage(issued, in: root)
    var configuration = try configuration(lineage: lineage, timeout: 2)
    configuration.deployments[0].verify?.portOffset = resolution.portOffset
    var context = Fixtures.context(h.backend, state: state)
    let sleeps = SleepLog()
    let checks = try XCTUnwrap(TLSServingVerifier.checks(for: configuration))
    context.servingVerifier = TLSServingVerifier(
      checks: checks, backend: h.backend, directory: h.backend, handshakeTimeout: .seconds(3),
      sleep: { sleeps.append($0) })
    let runner = DeployHookRunner(configuration: configuration, context: context)
    let result = try await runner.run(try HookInvocation.detect(environment: ["RENEWED_LINEAGE": lineage], arguments: []))
    return (result, sleeps.values)
  }

  func testVerifiedRotationRetiresTheOldCertificateOnlyOnceTheNewOneIsServed() async throws {
    let (h, resolution) = try await start()
    let state = StateStore(path: nil)
    let first = try Fixtures.leaf(["www.example.test"], from: -60, until: 30)
    let (r1, _) = try await deploy(first, h, resolution, state: state)
    XCTAssertFalse(r1.report.hasFailures, "\(r1.report)")
    let renewed = try Fixtures.leaf(["www.example.test"], from: -1, until: 89)
    let (r2, sleeps) = try await deploy(renewed, h, resolution, state: state)
    XCTAssertFalse(r2.report.hasFailures, "\(r2.report)")
    XCTAssertEqual(sleeps, [], "served at the first handshake")
    let ids = await h.listener(Self.listener)?.certificates.map(\.certificateId) ?? []
    let renewedId = await h.identifier(sha256: renewed.certificate.sha256Fingerprint)
    let firstId = await h.identifier(sha256: first.certificate.sha256Fingerprint)
    XCTAssertEqual(ids, [try XCTUnwrap(renewedId)])
    XCTAssertFalse(ids.contains(try XCTUnwrap(firstId)))
    let presented = await h.server.presentedCertificates()
    XCTAssertGreaterThanOrEqual(presented[try XCTUnwrap(renewedId)] ?? 0, 1)
  }

  func testVerifiedRotationKeepsTheOldCertificateWhenTheNewOneIsNotServed() async throws {
    let (h, resolution) = try await start(faults: try FaultSpec.parse("no-serve=\(Self.listener)"))
    let state = StateStore(path: nil)
    // Attached before the data plane froze? No: the frozen set is the generated default only, so even the first
    // deployment cannot be verified; it must keep the listener as it was and fail with what was served.
    let first = try Fixtures.leaf(["www.example.test"], from: -60, until: 30)
    let (r1, sleeps) = try await deploy(first, h, resolution, state: state)
    let outcome = try XCTUnwrap(r1.report.listeners.first)
    XCTAssertEqual(outcome.outcome, .failed)
    XCTAssertTrue((outcome.error ?? "").contains("not served"), outcome.error ?? "")
    XCTAssertTrue((outcome.error ?? "").contains("www.example.test: served serial"), outcome.error ?? "")
    // Exponential polling up to the 2 s wait: 0.25 + 0.5 + 1 + 0.25.
    XCTAssertEqual(sleeps, [.milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(250)])
    // Renewal against a listener that never serves the new certificate: the old one stays attached.
    let firstLookup = await h.identifier(sha256: first.certificate.sha256Fingerprint)
    let firstId = try XCTUnwrap(firstLookup)
    let renewed = try Fixtures.leaf(["www.example.test"], from: -1, until: 89)
    let (r2, _) = try await deploy(renewed, h, resolution, state: state)
    XCTAssertEqual(r2.report.listeners.first?.outcome, .failed)
    let ids = await h.listener(Self.listener)?.certificates.map(\.certificateId) ?? []
    XCTAssertTrue(ids.contains(firstId), "the previous certificate was kept: \(ids)")
    let renewedLookup = await h.identifier(sha256: renewed.certificate.sha256Fingerprint)
    let renewedId = try XCTUnwrap(renewedLookup)
    XCTAssertTrue(ids.contains(renewedId))
    let dissociations = await h.writes().filter { $0.action == "DissociateAdditionalCertificatesFromListener" }
    XCTAssertEqual(dissociations.count, 0)
  }

  func testConfigurationDecodesVerifyAndRejectsStrays() throws {
    let good = try configuration(lineage: "/x", timeout: 30)
    XCTAssertEqual(
      good.deployments[0].verify, ServingVerification(resolve: ["\(Self.dnsName):127.0.1.1"], portOffset: 0, timeout: 30))
    let stray = """
      version: 1
      deployments:
        - name: a
          domains: [a.test]
          targets: [{listener: lsr-1}]
          portOffset: 3
      """
    XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: stray, source: "t.yaml")) { error in
      XCTAssertTrue("\(error)".contains("deployments[0].portOffset"), "\(error)")
    }
    let wrong = stray.replacingOccurrences(of: "portOffset: 3", with: "verify: api")
    XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: wrong, source: "t.yaml")) { error in
      XCTAssertTrue("\(error)".contains("deployments[0].verify"), "\(error)")
    }
  }
}

/// Records the waits a verifier asks for.
final class SleepLog: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [Duration] = []

  func append(_ value: Duration) {
    lock.lock()
    items.append(value)
    lock.unlock()
  }

  var values: [Duration] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}
