import CertHookCore
import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

final class LifecycleTests: XCTestCase {
  var root: URL!

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  /// alb-h1: lsr-h1-https, lsr-h1-http (HTTP), lsr-h1-quic; alb-h2: lsr-h2-a, lsr-h2-b. Every HTTPS/QUIC listener has
  /// a default certificate for default.test.
  func world() async throws -> (FakeCloud, defaultCertId: Int) {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"], until: 300)
    let defId = await cloud.addCAS(def, name: "default")
    await cloud.addListener("lsr-h1-https", loadBalancer: "alb-h1", defaultCertificate: defId)
    await cloud.addListener("lsr-h1-http", loadBalancer: "alb-h1", protocol: "HTTP", port: 80, defaultCertificate: nil)
    await cloud.addListener(
      "lsr-h1-quic", loadBalancer: "alb-h1", protocol: "QUIC", port: 443, defaultCertificate: defId)
    await cloud.addListener("lsr-h2-a", loadBalancer: "alb-h2", defaultCertificate: defId)
    await cloud.addListener("lsr-h2-b", loadBalancer: "alb-h2", port: 8443, defaultCertificate: defId)
    return (cloud, defId)
  }

  func configuration(lineage: String? = nil, domains: [String] = ["example.test", "www.example.test"]) throws
    -> CertHookConfiguration
  {
    var yaml = """
      version: 1
      region: cn-hangzhou
      deployments:
        - name: example
          domains: [\(domains.joined(separator: ", "))]
          targets:
            - listener: lsr-h1-https
            - loadBalancer: alb-h2

      """
    if let lineage { yaml += "    source: {certbotLineage: \(lineage)}\n" }
    let (config, warnings) = try CertHookConfiguration.decode(yaml: yaml, source: "test.yaml")
    XCTAssertEqual(warnings, [])
    return config
  }

  func deploy(_ issued: Issued, cloud: FakeCloud, state: StateStore, name: String = "example.test") async throws
    -> DeployHookResult
  {
    let lineage = try Fixtures.writeLineage(issued, in: root, name: name)
    let invocation = try HookInvocation.detect(
      environment: ["RENEWED_LINEAGE": lineage, "RENEWED_DOMAINS": "example.test www.example.test"], arguments: [])
    let runner = DeployHookRunner(
      configuration: try configuration(lineage: lineage), context: Fixtures.context(cloud, state: state))
    return try await runner.run(invocation)
  }

  let targets = ["lsr-h1-https", "lsr-h2-a", "lsr-h2-b"]

  func testFirstDeployThenRerunDoesNothing() async throws {
    let (cloud, defId) = try await world()
    let state = StateStore(path: root.appendingPathComponent("state.json").path)
    let cert = try Fixtures.leaf(["example.test", "www.example.test"])
    let result = try await deploy(cert, cloud: cloud, state: state)
    XCTAssertFalse(result.report.hasFailures, result.report.summaryLine)
    XCTAssertEqual(result.deployments, ["example"])
    XCTAssertEqual(result.report.listeners.map(\.listenerId), targets)
    XCTAssertTrue(result.report.listeners.allSatisfy { $0.outcome == .updated })
    let newId = await cloud.requireIdentifier(sha256: cert.certificate.sha256Fingerprint)
    let defaultIdentifier = await cloud.requireIdentifier(of: defId)
    for l in targets {
      let ids = await cloud.certificateIds(on: l)
      XCTAssertEqual(ids, [defaultIdentifier, newId].sorted(), l)
    }
    // The QUIC listener of alb-h1 was not a target.
    let quic = await cloud.certificateIds(on: "lsr-h1-quic")
    XCTAssertEqual(quic, [defaultIdentifier])
    let casCount = await cloud.casCount()
    XCTAssertEqual(casCount, 2)
    let names = await cloud.casNames()
    XCTAssertTrue(names.contains { $0.hasPrefix("certhook-example.test-") && $0.count <= 63 }, "\(names)")

    await cloud.resetLog()
    let again = try await deploy(cert, cloud: cloud, state: state)
    XCTAssertTrue(again.report.listeners.allSatisfy { $0.outcome == .unchanged })
    let writes = await cloud.writes
    XCTAssertEqual(writes, [])

    // Losing the state cache loses nothing but speed: CAS finds the same upload.
    try FileManager.default.removeItem(atPath: root.appendingPathComponent("state.json").path)
    await cloud.resetLog()
    let fresh = try await deploy(
      cert, cloud: cloud, state: StateStore(path: root.appendingPathComponent("state.json").path))
    XCTAssertTrue(fresh.report.listeners.allSatisfy { $0.outcome == .unchanged })
    let writesAfterLoss = await cloud.writes
    XCTAssertEqual(writesAfterLoss, [])
    let casAfter = await cloud.casCount()
    XCTAssertEqual(casAfter, 2)
  }

  func testRenewalReplacesPredecessorAndLeavesDefault() async throws {
    let (cloud, defId) = try await world()
    let state = StateStore(path: nil)
    let first = try Fixtures.leaf(["example.test", "www.example.test"], from: -60, until: 30)
    _ = try await deploy(first, cloud: cloud, state: state)
    let firstId = await cloud.requireIdentifier(sha256: first.certificate.sha256Fingerprint)
    let renewed = try Fixtures.leaf(["example.test", "www.example.test"], from: -1, until: 89)
    let result = try await deploy(renewed, cloud: cloud, state: state)
    XCTAssertFalse(result.report.hasFailures, result.report.summaryLine)
    let renewedId = await cloud.requireIdentifier(sha256: renewed.certificate.sha256Fingerprint)
    let defaultIdentifier = await cloud.requireIdentifier(of: defId)
    for l in targets {
      let ids = await cloud.certificateIds(on: l)
      XCTAssertEqual(ids, [defaultIdentifier, renewedId].sorted(), l)
      XCTAssertFalse(ids.contains(firstId))
    }
    // Order per listener: associate the renewal before dissociating its predecessor.
    let writes = await cloud.writes
    for l in targets {
      let assoc = try XCTUnwrap(writes.firstIndex(of: "Associate \(l) \(renewedId)"))
      let dissoc = try XCTUnwrap(writes.firstIndex(of: "Dissociate \(l) \(firstId)"))
      XCTAssertLessThan(assoc, dissoc)
    }
  }

  func testWildcardReplacesCoveredSingleNamesOnly() async throws {
    let (cloud, _) = try await world()
    let www = try Fixtures.leaf(["www.example.test"], until: 20)
    let api = try Fixtures.leaf(["api.example.test"], until: 20)
    let deep = try Fixtures.leaf(["a.b.example.test"], until: 20)
    let apex = try Fixtures.leaf(["example.test"], until: 20)
    let other = try Fixtures.leaf(["other.test"], until: 20)
    var ids: [String: String] = [:]
    for (label, issued) in [("www", www), ("api", api), ("deep", deep), ("apex", apex), ("other", other)] {
      let id = await cloud.addCAS(issued)
      await cloud.attach(id, to: "lsr-h2-a")
      ids[label] = await cloud.identifier(of: id)
    }
    let wildcard = try Fixtures.leaf(["*.example.test"], until: 90)
    let runner = AttachRunner(context: Fixtures.context(cloud))
    let files = try write(wildcard)
    let result = try await runner.run(AttachRequest(certificate: files, listeners: ["lsr-h2-a"]))
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    let now = await cloud.certificateIds(on: "lsr-h2-a")
    XCTAssertFalse(now.contains(try XCTUnwrap(ids["www"])))
    XCTAssertFalse(now.contains(try XCTUnwrap(ids["api"])))
    // Not covered by *.example.test: a.b.example.test, example.test, other.test stay.
    for label in ["deep", "apex", "other"] { XCTAssertTrue(now.contains(try XCTUnwrap(ids[label])), label) }
  }

  func testUnrelatedAndNewerAndNoSANCertificatesAreNeverTouched() async throws {
    let (cloud, _) = try await world()
    let unrelated = try Fixtures.leaf(["shop.test"], until: 5)
    let newer = try Fixtures.leaf(["example.test"], until: 200)
    let blind = try Fixtures.leaf(["example.test"], until: 5)
    let unrelatedId = await cloud.addCAS(unrelated)
    let newerId = await cloud.addCAS(newer)
    let blindId = await cloud.addCAS(blind, hidePEM: true)
    for id in [unrelatedId, newerId, blindId] { await cloud.attach(id, to: "lsr-h1-https") }
    let before = await cloud.certificateIds(on: "lsr-h1-https")
    let cert = try Fixtures.leaf(["example.test", "www.example.test"])
    let result = try await AttachRunner(context: Fixtures.context(cloud)).run(
      AttachRequest(certificate: try write(cert), listeners: ["lsr-h1-https"]))
    let after = await cloud.certificateIds(on: "lsr-h1-https")
    let newId = await cloud.requireIdentifier(sha256: cert.certificate.sha256Fingerprint)
    XCTAssertEqual(after, (before + [newId]).sorted())
    let notes = result.plan.listeners.flatMap(\.notes)
    let blindIdentifier = await cloud.requireIdentifier(of: blindId)
    XCTAssertTrue(
      notes.contains("left lsr-h1-https cert \(blindIdentifier) alone: CAS returned no SANs for it"), "\(notes)")
    let dissociations = await cloud.writes.filter { $0.hasPrefix("Dissociate") }
    XCTAssertEqual(dissociations, [])
  }

  func testDefaultCertificateLeftAloneInAdditionalModeAndReplacedInDefaultMode() async throws {
    let cloud = FakeCloud()
    let oldDefault = try Fixtures.leaf(["example.test"], until: 10)
    let oldId = await cloud.addCAS(oldDefault)
    await cloud.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: oldId)
    let cert = try Fixtures.leaf(["example.test", "www.example.test"])
    let files = try write(cert)
    let additional = try await AttachRunner(context: Fixtures.context(cloud)).run(
      AttachRequest(certificate: files, listeners: ["lsr-1"]))
    XCTAssertFalse(additional.report.hasFailures)
    let oldIdentifier = await cloud.requireIdentifier(of: oldId)
    let defaultNow = await cloud.defaultCertificate(of: "lsr-1")
    XCTAssertEqual(defaultNow, oldIdentifier)
    XCTAssertEqual(additional.plan.listeners[0].actions.map(\.kind), [.associate])

    let replaced = try await AttachRunner(context: Fixtures.context(cloud)).run(
      AttachRequest(certificate: files, listeners: ["lsr-1"], mode: .default))
    XCTAssertFalse(replaced.report.hasFailures, "\(replaced.report)")
    let newId = await cloud.requireIdentifier(sha256: cert.certificate.sha256Fingerprint)
    let defaultAfter = await cloud.defaultCertificate(of: "lsr-1")
    XCTAssertEqual(defaultAfter, newId)
  }

  func testDefaultModeReplacesDefaultAndRetiresCoveredAdditionalOnes() async throws {
    let cloud = FakeCloud()
    let oldDefault = try Fixtures.leaf(["example.test"], until: 10)
    let oldDefaultId = await cloud.addCAS(oldDefault)
    await cloud.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: oldDefaultId)
    let www = try Fixtures.leaf(["www.example.test"], until: 10)
    let wwwId = await cloud.addCAS(www)
    await cloud.attach(wwwId, to: "lsr-1")
    let cert = try Fixtures.leaf(["example.test", "www.example.test"])
    let result = try await AttachRunner(context: Fixtures.context(cloud)).run(
      AttachRequest(certificate: try write(cert), listeners: ["lsr-1"], mode: .default))
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    XCTAssertEqual(result.plan.listeners[0].actions.map(\.kind), [.replaceDefault, .dissociate])
    let newId = await cloud.requireIdentifier(sha256: cert.certificate.sha256Fingerprint)
    let ids = await cloud.certificateIds(on: "lsr-1")
    XCTAssertEqual(ids, [newId])
    let defaultNow = await cloud.defaultCertificate(of: "lsr-1")
    XCTAssertEqual(defaultNow, newId)
  }

  func testQuotaFullRetiresExpiredSupersededFirst() async throws {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"], until: 300)
    let defId = await cloud.addCAS(def)
    await cloud.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: defId)
    await cloud.addListener("lsr-2", loadBalancer: "alb-1", defaultCertificate: defId)
    let expired = try Fixtures.leaf(["example.test"], from: -120, until: -1)
    let expiredId = await cloud.addCAS(expired)
    await cloud.attach(expiredId, to: "lsr-1")
    let other = try Fixtures.leaf(["other.test"], until: 40)
    let otherId = await cloud.addCAS(other)
    await cloud.attach(otherId, to: "lsr-2")
    await cloud.setQuota("alb-1", 2)
    let cert = try Fixtures.leaf(["example.test"])
    let result = try await AttachRunner(context: Fixtures.context(cloud)).run(
      AttachRequest(certificate: try write(cert), listeners: ["lsr-1"]))
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    let expiredIdentifier = await cloud.requireIdentifier(of: expiredId)
    let newId = await cloud.requireIdentifier(sha256: cert.certificate.sha256Fingerprint)
    let writes = await cloud.writes.filter { !$0.hasPrefix("Upload") }
    XCTAssertEqual(writes, ["Dissociate lsr-1 \(expiredIdentifier)", "Associate lsr-1 \(newId)"])
    // The refused first attempt and the retry after retiring carry different ClientTokens.
    let tokens = await cloud.associateTokens
    XCTAssertEqual(tokens.count, 2)
    XCTAssertEqual(Set(tokens).count, 2)
  }

  func testQuotaFullWithoutRetirableCertificatesFailsNamingQuota() async throws {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"], until: 300)
    let defId = await cloud.addCAS(def)
    await cloud.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: defId)
    let other = try Fixtures.leaf(["other.test"], until: 40)
    let otherId = await cloud.addCAS(other)
    await cloud.attach(otherId, to: "lsr-1")
    await cloud.setQuota("alb-1", 1)
    let cert = try Fixtures.leaf(["example.test"])
    let result = try await AttachRunner(context: Fixtures.context(cloud)).run(
      AttachRequest(certificate: try write(cert), listeners: ["lsr-1"]))
    XCTAssertTrue(result.report.hasFailures)
    let error = try XCTUnwrap(result.report.listeners.first?.error)
    XCTAssertTrue(error.contains("LoadBalancerCertificatesNum"), error)
    XCTAssertTrue(error.contains("usage 1"), error)
    XCTAssertTrue(error.contains("alb-1"), error)
    let remaining = await cloud.certificateIds(on: "lsr-1")
    XCTAssertEqual(remaining.count, 2)
  }

  func testConfiguringListenerIsRetried() async throws {
    let (cloud, _) = try await world()
    await cloud.setConfiguring("lsr-h2-a", reads: 3)
    await cloud.setBusy("lsr-h2-b", writes: 2)
    let cert = try Fixtures.leaf(["example.test", "www.example.test"])
    let result = try await deploy(cert, cloud: cloud, state: StateStore(path: nil))
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    XCTAssertTrue(result.report.listeners.allSatisfy { $0.outcome == .updated })
    let calls = await cloud.calls
    XCTAssertEqual(calls.filter { $0.hasPrefix("Associate lsr-h2-b") }.count, 3)
  }

  func testOneFailingListenerDoesNotStopOthers() async throws {
    let (cloud, _) = try await world()
    await cloud.setFailing("lsr-h2-a")
    let cert = try Fixtures.leaf(["example.test", "www.example.test"])
    let result = try await deploy(cert, cloud: cloud, state: StateStore(path: nil))
    XCTAssertTrue(result.report.hasFailures)
    let outcomes = Dictionary(uniqueKeysWithValues: result.report.listeners.map { ($0.listenerId, $0.outcome) })
    XCTAssertEqual(outcomes, ["lsr-h1-https": .updated, "lsr-h2-a": .failed, "lsr-h2-b": .updated])
    XCTAssertTrue(result.report.summaryLine.contains("1 failed"), result.report.summaryLine)
  }

  func testRefusalsMakeNoAPICalls() async throws {
    let key = try PrivateKey.generate(.ecP256)
    let cases: [(String, Issued, PrivateKey?)] = [
      ("expired", try Fixtures.leaf(["example.test", "www.example.test"], from: -90, until: -1), nil),
      ("not yet valid", try Fixtures.leaf(["example.test", "www.example.test"], from: 2, until: 90), nil),
      ("client auth only", try Fixtures.leaf(["example.test", "www.example.test"], eku: ["clientAuth"]), nil),
      ("key mismatch", try Fixtures.leaf(["example.test", "www.example.test"]), key),
      ("domain not covered", try Fixtures.leaf(["example.test"]), nil),
    ]
    for (label, issued, wrongKey) in cases {
      let (cloud, _) = try await world()
      let dir = root.appendingPathComponent(label.replacingOccurrences(of: " ", with: "-"))
      let lineage = try Fixtures.writeLineage(issued, in: dir, key: wrongKey)
      let runner = DeployHookRunner(
        configuration: try configuration(lineage: lineage), context: Fixtures.context(cloud))
      do {
        _ = try await runner.run(HookInvocation.detect(environment: ["RENEWED_LINEAGE": lineage], arguments: []))
        XCTFail("\(label): deployed")
      } catch let error as CertHookError {
        guard case .refused(let reasons) = error else { return XCTFail("\(label): \(error)") }
        XCTAssertFalse(reasons.isEmpty, label)
      }
      let calls = await cloud.calls
      XCTAssertEqual(calls, [], label)
    }
  }

  func testDryRunChangesNothingAndPrechecks() async throws {
    let (cloud, _) = try await world()
    let cert = try Fixtures.leaf(["example.test", "www.example.test"])
    let lineage = try Fixtures.writeLineage(cert, in: root)
    let runner = DeployHookRunner(configuration: try configuration(lineage: lineage), context: Fixtures.context(cloud))
    let result = try await runner.run(
      try HookInvocation.detect(environment: ["RENEWED_LINEAGE": lineage], arguments: []), dryRun: true)
    XCTAssertTrue(result.report.listeners.allSatisfy { $0.outcome == .planned }, "\(result.report)")
    XCTAssertEqual(result.plans.first?.certificate.identifier, MappedCertificate.pendingIdentifier)
    let writes = await cloud.writes
    XCTAssertEqual(writes, [])
    // Once uploaded, a dry run uses the API's DryRun precheck.
    _ = try await UploadRunner(context: Fixtures.context(cloud)).run(
      certificatePath: lineage + "/cert.pem", keyPath: lineage + "/privkey.pem", chainPath: lineage + "/chain.pem")
    await cloud.resetLog()
    let second = try await runner.run(
      try HookInvocation.detect(environment: ["RENEWED_LINEAGE": lineage], arguments: []), dryRun: true)
    XCTAssertTrue(second.report.listeners.allSatisfy { $0.outcome == .planned })
    let calls = await cloud.calls
    XCTAssertEqual(calls.filter { $0.hasPrefix("Associate") && $0.hasSuffix(" dry") }.count, 3)
    let writesAfter = await cloud.writes
    XCTAssertEqual(writesAfter, [])
  }

  func testCrossRegionIdentifierIsKeptWhole() async throws {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"], until: 300)
    let defId = await cloud.addCAS(def)
    await cloud.addListener("lsr-zjk", loadBalancer: "alb-zjk", defaultCertificate: defId)
    let old = try Fixtures.leaf(["example.test"], until: 10)
    let oldId = await cloud.addCAS(old, region: "cn-zhangjiakou")
    await cloud.attach(oldId, to: "lsr-zjk")
    let cert = try Fixtures.leaf(["example.test"])
    let result = try await AttachRunner(context: Fixtures.context(cloud)).run(
      AttachRequest(certificate: try write(cert), listeners: ["lsr-zjk"]))
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    let writes = await cloud.writes
    XCTAssertTrue(writes.contains("Dissociate lsr-zjk \(oldId)-cn-zhangjiakou"), "\(writes)")
  }

  func testUploadNameCollisionIsResolved() async throws {
    let cloud = FakeCloud()
    let cert = try Fixtures.leaf(["example.test"])
    let first = CertificateNaming.name(
      commonName: "example.test", notAfter: cert.certificate.notAfter, sha256: cert.certificate.sha256Fingerprint)
    await cloud.takeName(first)
    let files = try write(cert)
    guard case .files(let c, let k, _) = files else { return XCTFail() }
    let mapped = try await UploadRunner(context: Fixtures.context(cloud)).run(certificatePath: c, keyPath: k)
    XCTAssertNotEqual(mapped.name, first)
    XCTAssertTrue(mapped.wasUploaded)
    XCTAssertLessThanOrEqual(mapped.name.count, 63)
    let again = try await UploadRunner(context: Fixtures.context(cloud)).run(certificatePath: c, keyPath: k)
    XCTAssertFalse(again.wasUploaded)
    XCTAssertEqual(again.identifier, mapped.identifier)
  }

  func testSyncConvergesAndSecondRunMakesNoWrites() async throws {
    let (cloud, _) = try await world()
    let cert = try Fixtures.leaf(["example.test", "www.example.test"])
    let lineage = try Fixtures.writeLineage(cert, in: root)
    let state = StateStore(path: root.appendingPathComponent("state.json").path)
    let runner = SyncRunner(
      configuration: try configuration(lineage: lineage), context: Fixtures.context(cloud, state: state))
    let first = await runner.run()
    XCTAssertFalse(first.report.hasFailures, "\(first.report)")
    XCTAssertEqual(first.report.counts[.updated], 3)
    await cloud.resetLog()
    let second = await runner.run()
    XCTAssertEqual(second.report.counts[.unchanged], 3)
    let writes = await cloud.writes
    XCTAssertEqual(writes, [])

    // A source-less deployment converges on the newest valid CAS certificate covering its domains.
    let sourceless = SyncRunner(configuration: try configuration(), context: Fixtures.context(cloud, state: state))
    let third = await sourceless.run()
    XCTAssertFalse(third.report.hasFailures, "\(third.report)")
    XCTAssertEqual(third.report.counts[.unchanged], 3)
  }

  func testDetachRemovesOnlyAdditionalCopies() async throws {
    let (cloud, defId) = try await world()
    let cert = try Fixtures.leaf(["example.test", "www.example.test"])
    _ = try await deploy(cert, cloud: cloud, state: StateStore(path: nil))
    let newId = await cloud.requireIdentifier(sha256: cert.certificate.sha256Fingerprint)
    let result = try await DetachRunner(context: Fixtures.context(cloud)).run(
      DetachRequest(certificate: .identifier(newId), loadBalancers: ["alb-h2"]))
    XCTAssertFalse(result.report.hasFailures)
    for l in ["lsr-h2-a", "lsr-h2-b"] {
      let ids = await cloud.certificateIds(on: l)
      XCTAssertFalse(ids.contains(newId))
    }
    let untouched = await cloud.certificateIds(on: "lsr-h1-https")
    XCTAssertTrue(untouched.contains(newId))
    let defIdentifier = await cloud.requireIdentifier(of: defId)
    let refused = try await DetachRunner(context: Fixtures.context(cloud)).run(
      DetachRequest(certificate: .identifier(defIdentifier), listeners: ["lsr-h2-a"]))
    XCTAssertTrue(refused.report.hasFailures)
    let stillDefault = await cloud.defaultCertificate(of: "lsr-h2-a")
    XCTAssertEqual(stillDefault, defIdentifier)
  }

  func testAuditAndPrune() async throws {
    let (cloud, _) = try await world()
    let expired = try Fixtures.leaf(["example.test"], from: -100, until: -2)
    let expiredId = await cloud.addCAS(expired, name: "certhook-example.test-old")
    await cloud.attach(expiredId, to: "lsr-h2-a")
    let orphan = try Fixtures.leaf(["old.example.test"], from: -100, until: -3)
    let orphanId = await cloud.addCAS(orphan, name: "certhook-old.example.test-x")
    let foreignOrphan = try Fixtures.leaf(["legacy.test"], from: -100, until: -3)
    let foreignId = await cloud.addCAS(foreignOrphan, name: "someone-else")
    // Issue 11 item 14: a name in certhook's pattern proves nothing; only the state's upload record does.
    let lookalike = try Fixtures.leaf(["lookalike.test"], from: -100, until: -3)
    let lookalikeId = await cloud.addCAS(lookalike, name: "certhook-lookalike.test-20260101-deadbeef")
    let state = StateStore(path: nil)
    for (issued, id) in [(expired, expiredId), (orphan, orphanId)] {
      try state.update {
        $0.certificates[issued.certificate.sha256Fingerprint.uppercased()] = CertificateRecord(
          certId: id, identifier: "\(id)-cn-hangzhou", name: "n", notAfter: issued.certificate.notAfter,
          uploadedByCerthook: true, recordedAt: Fixtures.now)
      }
    }
    let soon = try Fixtures.leaf(["soon.test"], until: 3)
    let soonId = await cloud.addCAS(soon)
    await cloud.attach(soonId, to: "lsr-h2-b")

    let audit = await AuditRunner(context: Fixtures.context(cloud)).run(loadBalancerIds: ["alb-h2"])
    XCTAssertEqual(audit.exitCode, 2)
    XCTAssertEqual(audit.rows.first?.status, "expired")
    XCTAssertEqual(audit.rows.first?.listenerId, "lsr-h2-a")
    XCTAssertEqual(audit.counts["critical"], 1)
    XCTAssertEqual(audit.rows.filter { $0.isDefault }.count, 2)

    // The expired cert is not covered by any valid one on lsr-h2-a yet: prune leaves it.
    let nothing = await PruneRunner(context: Fixtures.context(cloud, state: state)).run(dryRun: false)
    XCTAssertFalse(nothing.hasFailures, "\(nothing)")
    let stillThere = await cloud.certificateIds(on: "lsr-h2-a")
    XCTAssertTrue(stillThere.contains("\(expiredId)-cn-hangzhou"))
    XCTAssertEqual(nothing.deletions.map(\.certId), [orphanId])

    let valid = try Fixtures.leaf(["example.test", "www.example.test"])
    let validId = await cloud.addCAS(valid)
    await cloud.attach(validId, to: "lsr-h2-a")
    let dry = await PruneRunner(context: Fixtures.context(cloud, state: state)).run(dryRun: true)
    XCTAssertEqual(dry.dissociations.listeners.first { $0.listenerId == "lsr-h2-a" }?.outcome, .planned)
    XCTAssertEqual(dry.deletions.map(\.certId), [expiredId])
    let pruned = await PruneRunner(context: Fixtures.context(cloud, state: state)).run(dryRun: false)
    XCTAssertFalse(pruned.hasFailures, "\(pruned)")
    let after = await cloud.certificateIds(on: "lsr-h2-a")
    XCTAssertFalse(after.contains("\(expiredId)-cn-hangzhou"))
    XCTAssertEqual(pruned.deletions.map(\.outcome), [.deleted])
    let remainingNames = await cloud.casNames()
    XCTAssertTrue(remainingNames.contains("someone-else"), "foreign uploads are never deleted (\(foreignId))")
    XCTAssertTrue(
      remainingNames.contains("certhook-lookalike.test-20260101-deadbeef"),
      "an upload that only looks like certhook's is never deleted (\(lookalikeId))")
  }

  // MARK: helpers

  func write(_ issued: Issued) throws -> CertificateReference {
    try Fixtures.writeFullchain(issued, in: root)
  }
}
