import CertHookCore
import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 11 items 1-4 (the state file is only a cache, never a weapon) and issue 10 part 1 (a cache that cannot lie).
final class StateHardeningTests: XCTestCase {
  var root: URL!

  override func setUpWithError() throws {
    root = try Fixtures.tempDirectory()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: root)
  }

  private func path(_ name: String) -> String { root.appendingPathComponent(name).path }

  private func record(_ id: Int) -> CertificateRecord {
    CertificateRecord(
      certId: id, identifier: "\(id)-cn-hangzhou", name: "n", notAfter: Fixtures.now, uploadedByCerthook: true,
      recordedAt: Fixtures.now)
  }

  // MARK: item 1: non-regular paths are refused before they are opened

  func testAFIFOOrDirectoryAsStatePathIsRefusedAndLeftAsItWas() throws {
    let fifo = path("fifo")
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    let directory = path("dir")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for target in [fifo, directory] {
      XCTAssertThrowsError(try StateStore.open(path: target)) { error in
        XCTAssertTrue("\(error)".contains("is not a regular file"), "\(error)")
        XCTAssertTrue("\(error)".contains(target), "names the path: \(error)")
      }
      let store = StateStore(path: target)
      XCTAssertThrowsError(try store.update { $0.certificates["AB"] = self.record(1) })
      XCTAssertFalse(FileManager.default.fileExists(atPath: target + ".lock"), "no lock next to \(target)")
    }
    var info = stat()
    XCTAssertEqual(lstat(fifo, &info), 0)
    XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
    var isDirectory: ObjCBool = false
    XCTAssertTrue(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue)
  }

  func testACharacterDeviceIsRefused() throws {
    XCTAssertThrowsError(try StateStore.open(path: "/dev/null")) { error in
      XCTAssertTrue("\(error)".contains("a character device"), "\(error)")
    }
  }

  func testASymlinkToARegularStateFileIsAccepted() throws {
    let real = path("real.json")
    let store = StateStore(path: real)
    try store.update { $0.certificates["AB"] = self.record(7) }
    let link = path("link.json")
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
    XCTAssertEqual(try StateStore.open(path: link).certificate(sha256: "ab")?.certId, 7)
  }

  // MARK: item 2: a recognisable header; a foreign file is never overwritten

  func testTheFileStartsWithItsFormatNameAndVersion() throws {
    let file = path("state.json")
    try StateStore(path: file).update { $0.certificates["AB"] = self.record(7) }
    let text = try String(contentsOfFile: file, encoding: .utf8)
    XCTAssertTrue(text.hasPrefix("{\n  \"format\" : \"certhook-state\","), text)
    XCTAssertTrue(text.contains("\"version\" : 2"), text)
  }

  func testAConfigurationFileGivenAsStateIsNeverOverwritten() async throws {
    let config = path("config.yaml")
    let yaml = "version: 1\nregion: cn-hangzhou\ndeployments: []\n"
    try yaml.write(toFile: config, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try StateStore.open(path: config)) { error in
      XCTAssertTrue("\(error)".contains("not a certhook state file"), "\(error)")
    }
    let store = StateStore(path: config)
    XCTAssertThrowsError(try store.update { $0.certificates["AB"] = self.record(1) })
    let one = record(1)
    await store.recordOrWarn { $0.certificates["AB"] = one }
    XCTAssertEqual(try String(contentsOfFile: config, encoding: .utf8), yaml, "the configuration is intact")
    // Foreign JSON too.
    let json = path("other.json")
    try "{\"hello\": \"world\"}".write(toFile: json, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try StateStore.open(path: json))
    XCTAssertEqual(try String(contentsOfFile: json, encoding: .utf8), "{\"hello\": \"world\"}")
  }

  func testAVersion1StateIsRecognisedAndReplaced() throws {
    let file = path("state.json")
    try "{\"version\": 1, \"certificates\": {}, \"remote\": {}, \"listeners\": {}}".write(
      toFile: file, atomically: true, encoding: .utf8)
    let store = try StateStore.open(path: file)
    XCTAssertTrue(store.warnings.first?.contains("older certhook") ?? false, "\(store.warnings)")
    try store.update { $0.certificates["AB"] = self.record(3) }
    XCTAssertEqual(StateStore(path: file).certificate(sha256: "AB")?.certId, 3)
  }

  // MARK: items 3 and 4: O_NOFOLLOW, and a cache that cannot be written is a warning

  func testADanglingLockSymlinkNeverGetsItsTargetCreated() async throws {
    let file = path("state.json")
    let target = path("elsewhere/created-by-certhook")
    try FileManager.default.createDirectory(atPath: path("elsewhere"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: file + ".lock", withDestinationPath: target)
    let store = StateStore(path: file)
    XCTAssertThrowsError(try store.update { $0.certificates["AB"] = self.record(1) })
    XCTAssertFalse(FileManager.default.fileExists(atPath: target), "the symlink's target was created")
    let one = record(1)
    await store.recordOrWarn { $0.certificates["AB"] = one }
    XCTAssertEqual(store.warnings.count, 1, "\(store.warnings)")
    XCTAssertTrue(store.warnings[0].contains("state cache not saved"), store.warnings[0])
    XCTAssertEqual(store.certificate(sha256: "AB")?.certId, 1, "the run still knows it in memory")
  }

  func testAnUnwritableCacheIsAWarningAndTheDeployConverges() async throws {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"], until: 300)
    let defId = await cloud.addCAS(def, name: "default")
    await cloud.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: defId)
    let file = path("state.json")
    // The lock cannot be opened (a directory stands in its place): every write of the cache fails.
    try FileManager.default.createDirectory(atPath: file + ".lock", withIntermediateDirectories: true)
    let issued = try Fixtures.leaf(["example.test"])
    let lineage = try Fixtures.writeLineage(issued, in: root)
    let config = try Fixtures.oneListenerConfiguration(lineage: lineage)
    let invocation = try HookInvocation.detect(environment: ["RENEWED_LINEAGE": lineage], arguments: [])
    let result = try await DeployHookRunner(
      configuration: config, context: Fixtures.context(cloud, state: StateStore(path: file))
    ).run(invocation)
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    let attached = await cloud.certificateIds(on: "lsr-1")
    let identifier = await cloud.identifier(sha256: issued.certificate.sha256Fingerprint)
    XCTAssertTrue(attached.contains(identifier ?? "missing"), "\(attached)")
    XCTAssertTrue(result.report.warnings.contains { $0.contains("state cache not saved") }, "\(result.report.warnings)")
  }

  // MARK: issue 10 part 1: scoped, verified, refreshable

  func testFactsOfOneAccountAreNeverReadForAnother() throws {
    let file = path("state.json")
    let a = StateScope.account("1111", casEndpoint: "https://cas.aliyuncs.com")
    let b = StateScope.account("2222", casEndpoint: "https://cas.aliyuncs.com")
    let c = StateScope.account("1111", casEndpoint: "https://cas.ap-southeast-1.aliyuncs.com")
    try StateStore(path: file, scope: a).update { $0.certificates["AB"] = self.record(1) }
    try StateStore(path: file, scope: b).update { $0.certificates["AB"] = self.record(2) }
    XCTAssertEqual(StateStore(path: file, scope: a).certificate(sha256: "AB")?.certId, 1)
    XCTAssertEqual(StateStore(path: file, scope: b).certificate(sha256: "AB")?.certId, 2)
    XCTAssertNil(StateStore(path: file, scope: c).certificate(sha256: "AB"), "another endpoint sees nothing")
    XCTAssertNil(StateStore(path: file).certificate(sha256: "AB"), "an unscoped store sees nothing")
  }

  func testALazyScopeIsResolvedOnlyWhenAFactIsNeeded() async throws {
    let file = path("state.json")
    let scope = StateScope.accessKey("LTAIexample", casEndpoint: "http://127.0.0.1:1")
    try StateStore(path: file, scope: scope).update { $0.certificates["AB"] = self.record(5) }
    let asked = LockedCounter()
    let store = StateStore(path: file) {
      asked.increment()
      return scope
    }
    XCTAssertEqual(asked.value, 0, "opening asks nothing")
    XCTAssertNil(store.certificate(sha256: "AB"))
    await store.prepare()
    await store.prepare()
    XCTAssertEqual(asked.value, 1)
    XCTAssertEqual(store.certificate(sha256: "AB")?.certId, 5)
  }

  /// The stale-cache sequence of issue 10: the same state file against a cloud where the cached ID now names another
  /// certificate (an emulator restarted without its state). `audit` must show the truth and `attach` must retire
  /// the superseded certificate.
  func testACacheTheCloudContradictsIsDroppedByAuditAndThePlanner() async throws {
    let file = path("state.json")
    let scope = StateScope.account("1234", casEndpoint: "http://127.0.0.1:9")
    // First cloud: certificate 2 lasts 1,824 days.
    let first = FakeCloud()
    let def1 = try Fixtures.leaf(["default.test"], until: 300)
    let d1 = await first.addCAS(def1, name: "default")
    await first.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: d1)
    let longLived = try Fixtures.leaf(["example.test"], until: 1824)
    let longId = await first.addCAS(longLived)
    await first.attach(longId, to: "lsr-1")
    let audit1 = await AuditRunner(
      context: Fixtures.context(first, state: StateStore(path: file, scope: scope))
    ).run(loadBalancerIds: ["alb-1"])
    XCTAssertEqual(audit1.rows.first { $0.certificateId == "\(longId)-cn-hangzhou" }?.daysRemaining, 1824)

    // Second cloud, same IDs: certificate 2 is now one that expires in 19 days.
    let second = FakeCloud()
    let def2 = try Fixtures.leaf(["default.test"], until: 300)
    let d2 = await second.addCAS(def2, name: "default")
    await second.addListener("lsr-1", loadBalancer: "alb-1", defaultCertificate: d2)
    let soon = try Fixtures.leaf(["example.test"], until: 19)
    let soonId = await second.addCAS(soon)
    XCTAssertEqual(soonId, longId, "the same ID names another certificate")
    await second.attach(soonId, to: "lsr-1")
    let audit2 = await AuditRunner(
      context: Fixtures.context(second, state: StateStore(path: file, scope: scope))
    ).run(loadBalancerIds: ["alb-1"])
    let row = try XCTUnwrap(audit2.rows.first { $0.certificateId == "\(soonId)-cn-hangzhou" })
    XCTAssertEqual(row.daysRemaining, 19, "audit shows the cloud's truth, not the cache")
    XCTAssertEqual(row.status, "warning")
    XCTAssertEqual(audit2.exitCode, 1)
    let cached = StateStore(path: file, scope: scope).snapshot().remote["\(soonId)-cn-hangzhou"]
    XCTAssertEqual(cached?.sha256, soon.certificate.sha256Fingerprint.uppercased(), "the contradicted entry is gone")

    // Put the lie back and let the planner meet it: the renewed certificate must retire the superseded one.
    try StateStore(path: file, scope: scope).update {
      $0.remote["\(soonId)-cn-hangzhou"] = RemoteCertificate(
        identifier: "\(soonId)-cn-hangzhou", certId: soonId, name: "n", commonName: "example.test",
        dnsNames: ["example.test"], namesSource: "pem", notAfter: longLived.certificate.notAfter,
        sha256: longLived.certificate.sha256Fingerprint.uppercased())
    }
    let renewed = try Fixtures.leaf(["example.test"], until: 90)
    let lineage = try Fixtures.writeLineage(renewed, in: root)
    let config = try Fixtures.oneListenerConfiguration(lineage: lineage)
    let invocation = try HookInvocation.detect(environment: ["RENEWED_LINEAGE": lineage], arguments: [])
    let result = try await DeployHookRunner(
      configuration: config, context: Fixtures.context(second, state: StateStore(path: file, scope: scope))
    ).run(invocation)
    XCTAssertFalse(result.report.hasFailures, "\(result.report)")
    let after = await second.certificateIds(on: "lsr-1")
    XCTAssertFalse(after.contains("\(soonId)-cn-hangzhou"), "the superseded certificate is retired: \(after)")
  }

  func testRefreshIgnoresTheCacheForOneRun() async throws {
    let file = path("state.json")
    let cloud = FakeCloud()
    let issued = try Fixtures.leaf(["real.test"])
    let id = await cloud.addCAS(issued)
    let identifier = "\(id)-cn-hangzhou"
    // A cached entry the list cannot contradict (same SHA-256) but with other names.
    try StateStore(path: file).update {
      $0.remote[identifier] = RemoteCertificate(
        identifier: identifier, certId: id, name: "n", commonName: "cached.test", dnsNames: ["cached.test"],
        namesSource: "pem", notAfter: issued.certificate.notAfter, sha256: issued.certificate.sha256Fingerprint)
    }
    let cachedNames = await CertificateCatalog(backend: cloud, state: StateStore(path: file)).lookup(identifier)
    XCTAssertEqual(cachedNames.dnsNames, ["cached.test"], "without --refresh the confirmed cache is used")
    let refreshed = await CertificateCatalog(backend: cloud, state: StateStore(path: file, refresh: true)).lookup(
      identifier)
    XCTAssertEqual(refreshed.dnsNames, ["real.test"])
    let rewritten = StateStore(path: file).snapshot().remote[identifier]
    XCTAssertEqual(rewritten?.dnsNames, ["real.test"], "the refreshed facts are cached again")
  }
}

/// A thread-safe counter for closures.
final class LockedCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  var value: Int { lock.withLock { count } }
  func increment() { lock.withLock { count += 1 } }
}
