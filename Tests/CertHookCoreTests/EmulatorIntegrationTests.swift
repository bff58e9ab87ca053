import AlibabaCloud
import CertHookCore
import CertificateKit
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

final class EmulatorIntegrationTests: XCTestCase {
  var root: URL!

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  static let seed = EmulatorSeed(
    region: "cn-hangzhou", accessKeys: EmulatorSeed.defaultAccessKeys,
    loadBalancers: [
      .init(
        id: "alb-h1", edition: .standard,
        listeners: [
          .init(id: "lsr-h1-https", protocol: "HTTPS", port: 443), .init(id: "lsr-h1-http", protocol: "HTTP", port: 80),
        ]),
      .init(
        id: "alb-h2", edition: .standard,
        listeners: [
          .init(id: "lsr-h2-a", protocol: "HTTPS", port: 443), .init(id: "lsr-h2-b", protocol: "QUIC", port: 443),
        ]),
      .init(
        id: "alb-small", edition: .basic, certificateQuota: 1,
        listeners: [
          .init(id: "lsr-small", protocol: "HTTPS", port: 443)
        ]),
    ])

  let targets = ["lsr-h1-https", "lsr-h2-a", "lsr-h2-b"]

  func configuration(lineage: String) throws -> CertHookConfiguration {
    let yaml = """
      version: 1
      region: cn-hangzhou
      deployments:
        - name: example
          source: {certbotLineage: \(lineage)}
          domains: [example.test, www.example.test]
          targets:
            - listener: lsr-h1-https
            - loadBalancer: alb-h2
      """
    return try CertHookConfiguration.decode(yaml: yaml, source: "test.yaml").0
  }

  func hook(_ issued: Issued, harness: EmulatorHarness, state: StateStore) async throws -> DeployHookResult {
    let lineage = try Fixtures.writeLineage(issued, in: root)
    let runner = DeployHookRunner(
      configuration: try configuration(lineage: lineage), context: Fixtures.context(harness.backend, state: state))
    return try await runner.run(try HookInvocation.detect(environment: ["RENEWED_LINEAGE": lineage], arguments: []))
  }

  func testDeployRerunRenewAgainstEmulator() async throws {
    let harness = try await EmulatorHarness.startForBackend(seed: Self.seed)
    do {
      let state = StateStore(path: root.appendingPathComponent("state.json").path)
      let first = try Fixtures.leaf(["example.test", "www.example.test"], from: -60, until: 30)
      let r1 = try await hook(first, harness: harness, state: state)
      XCTAssertFalse(r1.report.hasFailures, "\(r1.report)")
      XCTAssertEqual(r1.report.listeners.map(\.listenerId), targets)
      let firstId = await harness.identifier(sha256: first.certificate.sha256Fingerprint)
      let firstIdentifier = try XCTUnwrap(firstId)
      XCTAssertTrue(firstIdentifier.hasSuffix("-cn-hangzhou"))
      for l in targets {
        let listener = await harness.listener(l)
        XCTAssertEqual(
          listener?.certificates.filter { $0.certificateId == firstIdentifier }.map(\.status), ["Associated"], l)
      }

      // A re-run makes zero write calls.
      let writesBefore = await harness.writes().count
      let r2 = try await hook(first, harness: harness, state: state)
      XCTAssertTrue(r2.report.listeners.allSatisfy { $0.outcome == .unchanged }, "\(r2.report)")
      let writesAfter = await harness.writes().count
      XCTAssertEqual(writesAfter, writesBefore)

      // Renewal: the new certificate serves before the old one stops, on every listener.
      let renewed = try Fixtures.leaf(["example.test", "www.example.test"], from: -1, until: 89)
      let r3 = try await hook(renewed, harness: harness, state: state)
      XCTAssertFalse(r3.report.hasFailures, "\(r3.report)")
      let renewedId = await harness.identifier(sha256: renewed.certificate.sha256Fingerprint)
      let renewedIdentifier = try XCTUnwrap(renewedId)
      let events = await harness.server.events()
      for l in targets {
        let listener = await harness.listener(l)
        let ids = listener?.certificates.map(\.certificateId) ?? []
        XCTAssertTrue(ids.contains(renewedIdentifier), l)
        XCTAssertFalse(ids.contains(firstIdentifier), l)
        let associated = events.first {
          $0.kind == .certificateAssociated && $0.listenerId == l && $0.certificateId == renewedIdentifier
        }
        let dissociating = events.first {
          $0.kind == .certificateDissociating && $0.listenerId == l && $0.certificateId == firstIdentifier
        }
        XCTAssertLessThan(try XCTUnwrap(associated).seq, try XCTUnwrap(dissociating).seq, l)
      }
      let uploads = await harness.writes().filter { $0.action == "UploadUserCertificate" }
      XCTAssertEqual(uploads.count, 2)

      // Sync right after: nothing to do, no writes.
      let sync = SyncRunner(
        configuration: try configuration(lineage: root.appendingPathComponent("live/example.test").path),
        context: Fixtures.context(harness.backend, state: state))
      let beforeSync = await harness.writes().count
      let s = await sync.run()
      XCTAssertFalse(s.report.hasFailures, "\(s.report)")
      XCTAssertEqual(s.report.counts[.unchanged], 3)
      let afterSync = await harness.writes().count
      XCTAssertEqual(afterSync, beforeSync)

      // Audit sees the renewed certificate on every target.
      let audit = await AuditRunner(context: Fixtures.context(harness.backend, state: state)).run(loadBalancerIds: [
        "alb-h2"
      ])
      XCTAssertEqual(audit.errors, [])
      XCTAssertEqual(
        audit.rows.filter { $0.certificateId == renewedIdentifier }.map(\.listenerId).sorted(),
        ["lsr-h2-a", "lsr-h2-b"])
      XCTAssertTrue(
        audit.rows.filter { $0.certificateId == renewedIdentifier }.allSatisfy {
          $0.status == "ok" && $0.domains.contains("www.example.test")
        })
    } catch {
      await harness.stop()
      throw error
    }
    await harness.stop()
  }

  /// An ALB association's outcome is read from the listing read that verifies it (`associationWatch`): with jobs
  /// that finish at once, the first deployment's three associations poll no job, and the renewal polls only the
  /// jobs of its three dissociations.
  func testAssociationsAreWatchedThroughTheListingReadThatVerifiesThem() async throws {
    let harness = try await EmulatorHarness.startForBackend(seed: Self.seed, jobDelay: .zero)
    do {
      let state = StateStore(path: root.appendingPathComponent("state.json").path)
      let jobPolls = { await harness.server.requestLog().filter { $0.action == "ListAsynJobs" }.count }
      let first = try Fixtures.leaf(["example.test", "www.example.test"], from: -60, until: 30)
      let r1 = try await hook(first, harness: harness, state: state)
      XCTAssertFalse(r1.report.hasFailures, "\(r1.report)")
      XCTAssertEqual(r1.report.counts[.updated], 3)
      let afterFirst = await jobPolls()
      XCTAssertEqual(afterFirst, 0, "three associations, no job polled")
      let renewed = try Fixtures.leaf(["example.test", "www.example.test"], from: -1, until: 89)
      let r2 = try await hook(renewed, harness: harness, state: state)
      XCTAssertFalse(r2.report.hasFailures, "\(r2.report)")
      let afterRenewal = await jobPolls()
      XCTAssertEqual(afterRenewal, 3, "one poll per dissociation")
      let renewedId = await harness.identifier(sha256: renewed.certificate.sha256Fingerprint)
      for l in targets {
        let statuses = await harness.listener(l)?.certificates.map(\.status)
        XCTAssertEqual(statuses, ["Associated"], l)
        let ids = await harness.listener(l)?.certificates.map(\.certificateId)
        XCTAssertEqual(ids, [try XCTUnwrap(renewedId)], l)
      }
    } catch {
      await harness.stop()
      throw error
    }
    await harness.stop()
  }

  /// attach, detach, attach again: the second attach starts from the same listener state as the first, so its
  /// deterministic ClientToken equals the first one's and the API replays the old, finished job. The executor
  /// notices the certificate is missing and sends the change again under a new token.
  func testAttachDetachAttachAgainAppliesTheSecondAttach() async throws {
    let harness = try await EmulatorHarness.startForBackend(seed: Self.seed, jobDelay: .milliseconds(20))
    do {
      let context = Fixtures.context(harness.backend)
      let cert = try Fixtures.leaf(["again.test"])
      let (certPath, keyPath) = try write(cert)
      let files = CertificateReference.files(certificate: certPath, key: keyPath, chain: nil)
      let first = try await AttachRunner(context: context).run(AttachRequest(certificate: files, listeners: ["lsr-h1-https"]))
      XCTAssertFalse(first.report.hasFailures, "\(first.report)")
      let detached = try await DetachRunner(context: context).run(DetachRequest(certificate: files, listeners: ["lsr-h1-https"]))
      XCTAssertFalse(detached.report.hasFailures, "\(detached.report)")
      let again = try await AttachRunner(context: context).run(AttachRequest(certificate: files, listeners: ["lsr-h1-https"]))
      XCTAssertFalse(again.report.hasFailures, "\(again.report)")
      XCTAssertEqual(again.report.listeners.first?.outcome, .updated)
      let serving = await harness.listener("lsr-h1-https")?.certificates.map(\.certificateId) ?? []
      XCTAssertEqual(serving.count, 1, "\(serving)")
    } catch {
      await harness.stop()
      throw error
    }
    await harness.stop()
  }

  func testConfiguringListenerQuotaAndDryRunAgainstEmulator() async throws {
    let harness = try await EmulatorHarness.startForBackend(seed: Self.seed, jobDelay: .milliseconds(50))
    do {
      let context = Fixtures.context(harness.backend)
      // Put another change in flight so the listener is Configuring when the batch reaches it.
      let other = try Fixtures.leaf(["other.test"])
      let otherMapped = try await UploadRunner(context: context).run(
        certificatePath: try write(other).0, keyPath: try write(other).1)
      _ = try await harness.backend.associateCertificates(
        listenerId: "lsr-h2-a", certificateIds: [otherMapped.identifier], clientToken: "pre-change", dryRun: false)
      let configuring = await harness.listener("lsr-h2-a")?.status
      XCTAssertEqual(configuring, "Configuring")

      let cert = try Fixtures.leaf(["example.test", "www.example.test"])
      let (certPath, keyPath) = try write(cert)
      let dry = try await AttachRunner(context: context).run(
        AttachRequest(
          certificate: .files(certificate: certPath, key: keyPath, chain: nil), loadBalancers: ["alb-h2"], dryRun: true)
      )
      XCTAssertTrue(dry.report.listeners.allSatisfy { $0.outcome == .planned }, "\(dry.report)")
      let dryWrites = await harness.writes().filter { $0.action != "UploadUserCertificate" }
      XCTAssertEqual(dryWrites.count, 1, "only the pre-change")

      let result = try await AttachRunner(context: context).run(
        AttachRequest(
          certificate: .files(certificate: certPath, key: keyPath, chain: nil), listeners: ["lsr-small"],
          loadBalancers: ["alb-h2"]))
      let outcomes = Dictionary(uniqueKeysWithValues: result.report.listeners.map { ($0.listenerId, $0) })
      XCTAssertEqual(outcomes["lsr-h2-a"]?.outcome, .updated, "\(result.report)")
      XCTAssertEqual(outcomes["lsr-h2-b"]?.outcome, .updated)
      let otherStill = await harness.listener("lsr-h2-a")?.certificates.map(\.certificateId) ?? []
      XCTAssertTrue(otherStill.contains(otherMapped.identifier), "unrelated certificate untouched")
      // alb-small has quota 1; fill it first through the API, then the batch fails there with the quota named.
      XCTAssertEqual(outcomes["lsr-small"]?.outcome, .updated)
      let third = try Fixtures.leaf(["third.test"])
      let (p3, k3) = try write(third)
      let full = try await AttachRunner(context: context).run(
        AttachRequest(certificate: .files(certificate: p3, key: k3, chain: nil), listeners: ["lsr-small"]))
      XCTAssertTrue(full.report.hasFailures)
      let error = full.report.listeners.first?.error ?? ""
      XCTAssertTrue(error.contains("alb-small") && error.contains("LoadBalancerCertificatesNum"), error)
    } catch {
      await harness.stop()
      throw error
    }
    await harness.stop()
  }

  func testRenewalConvergesInOneRunDespiteFaults() async throws {
    for faultSeed: UInt64 in [3, 11] {
      let harness = try await EmulatorHarness.startForBackend(
        seed: Self.seed, faults: try FaultSpec.parse("throttle=0.1,unavailable=0.05,reset=0.05"), faultSeed: faultSeed)
      do {
        let state = StateStore(path: nil)
        let first = try Fixtures.leaf(["example.test", "www.example.test"], from: -60, until: 30)
        let r1 = try await hook(first, harness: harness, state: state)
        XCTAssertFalse(r1.report.hasFailures, "seed \(faultSeed): \(r1.report)")
        let renewed = try Fixtures.leaf(["example.test", "www.example.test"], from: -1, until: 89)
        let r2 = try await hook(renewed, harness: harness, state: state)
        XCTAssertFalse(r2.report.hasFailures, "seed \(faultSeed): \(r2.report)")
        let firstId = await harness.identifier(sha256: first.certificate.sha256Fingerprint)
        let renewedId = await harness.identifier(sha256: renewed.certificate.sha256Fingerprint)
        for l in targets {
          let ids = await harness.listener(l)?.certificates.map(\.certificateId) ?? []
          XCTAssertTrue(ids.contains(renewedId ?? "-"), "seed \(faultSeed) \(l)")
          XCTAssertFalse(ids.contains(firstId ?? "-"), "seed \(faultSeed) \(l)")
        }
        let copies = await harness.server.state().certificates.filter {
          $0.sha2.uppercased() == renewed.certificate.sha256Fingerprint.uppercased()
        }
        XCTAssertEqual(copies.count, 1, "seed \(faultSeed): one CAS copy")
        let faulted = await harness.server.requestLog().filter { $0.fault != nil }.count
        XCTAssertGreaterThan(faulted, 0, "seed \(faultSeed): faults were injected")
      } catch {
        await harness.stop()
        throw error
      }
      await harness.stop()
    }
  }

  func write(_ issued: Issued) throws -> (String, String) {
    let dir = root.appendingPathComponent(issued.certificate.sha256Fingerprint.prefix(12).description)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let cert = dir.appendingPathComponent("fullchain.pem")
    let key = dir.appendingPathComponent("key.pem")
    try (issued.certificate.pem + Fixtures.ca.certificate.pem).write(to: cert, atomically: true, encoding: .utf8)
    try issued.key.pkcs8PEM().write(to: key, atomically: true, encoding: .utf8)
    return (cert.path, key.path)
  }
}
