@testable import CertHookCore
import Foundation
import XCTest
import CertHookTestSupport

final class StateStoreTests: XCTestCase {
  func testAtomicWritePermissionsAndReload() throws {
    let dir = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("sub/state.json").path
    let store = StateStore(path: path)
    XCTAssertEqual(store.warnings, [])
    try store.update {
      $0.certificates["AB"] = CertificateRecord(
        certId: 7, identifier: "7-cn-hangzhou", name: "n", notAfter: Fixtures.now, uploadedByCerthook: true,
        recordedAt: Fixtures.now)
    }
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    let reloaded = StateStore(path: path)
    XCTAssertEqual(reloaded.certificate(sha256: "ab")?.identifier, "7-cn-hangzhou")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("sub").path)
    XCTAssertEqual(leftovers.sorted(), ["state.json", "state.json.lock"])
  }

  func testAWriteKilledHalfwayLeavesNothingBehindAfterTheNextWrite() throws {
    let dir = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("state.json").path
    // What SIGKILL during a write leaves: a half-written temporary file next to the state.
    try Data("{\"certificates\": {\"AB\": {\"certId\": 7,".utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
    let store = StateStore(path: path)
    try store.update { $0.certificates["CD"] = nil }
    try store.update { _ in }
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    XCTAssertEqual(leftovers.sorted(), ["state.json", "state.json.lock"])
    XCTAssertEqual(StateStore(path: path).warnings, [], "the state written over the leftover parses")

    // A run with nothing to write (everything already converged) cleans up too, when it opens the store.
    try Data("half".utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
    _ = StateStore(path: path)
    XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".tmp"))
  }

  func testCorruptFileWarnsAndStartsEmpty() throws {
    let dir = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("state.json").path
    // A certhook state file damaged after its header (issue 11 item 2: a file without the header is not certhook's
    // and is never overwritten; see StateHardeningTests).
    try "{\"format\": \"certhook-state\", \"scopes\": {not json".write(toFile: path, atomically: true, encoding: .utf8)
    let store = StateStore(path: path)
    XCTAssertEqual(store.snapshot(), StateSnapshot())
    XCTAssertEqual(store.warnings.count, 1)
    XCTAssertTrue(store.warnings[0].contains("corrupt"))
    try store.update {
      $0.listeners["lsr-1"] = ListenerRecord(certificateIds: ["1-cn-hangzhou"], updatedAt: Fixtures.now)
    }
    XCTAssertEqual(StateStore(path: path).snapshot().listeners["lsr-1"]?.certificateIds, ["1-cn-hangzhou"])
  }

  func testTwoStoresOnOneFileMergeUnderTheLock() async throws {
    let dir = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("state.json").path
    let a = StateStore(path: path)
    let b = StateStore(path: path)
    await withTaskGroup(of: Void.self) { group in
      for i in 0..<40 {
        let store = i % 2 == 0 ? a : b
        group.addTask {
          try? store.update {
            $0.listeners["lsr-\(i)"] = ListenerRecord(certificateIds: ["\(i)-cn-hangzhou"], updatedAt: Fixtures.now)
          }
        }
      }
    }
    XCTAssertEqual(StateStore(path: path).snapshot().listeners.count, 40)
  }

  /// Issue 11 (scale): concurrent recorders share writes. While another process holds the lock, the first change
  /// waits for it and every later one queues; once the lock is free they reach the disk in at most two writes, not 100.
  func testRecordersWaitingForTheLockShareOneWrite() async throws {
    let dir = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("state.json").path
    let store = StateStore(path: path)
    let lock = open(path + ".lock", O_RDWR | O_CREAT, 0o600)
    XCTAssertEqual(flock(lock, LOCK_EX), 0)
    let recorders = Task {
      await withTaskGroup(of: Void.self) { group in
        for i in 0..<100 {
          group.addTask {
            await store.recordOrWarn {
              $0.listeners["lsr-\(i)"] = ListenerRecord(certificateIds: ["\(i)-cn-hangzhou"], updatedAt: Fixtures.now)
            }
          }
        }
      }
    }
    // The writer took the first change(s) and waits for the lock; the others wait for the writer.
    while store.pendingChanges < 100 { await Task.yield() }
    XCTAssertEqual(store.fileWrites, 0)
    flock(lock, LOCK_UN)
    close(lock)
    await recorders.value
    XCTAssertLessThanOrEqual(store.fileWrites, 2, "one write for what the writer held, one for the rest")
    XCTAssertGreaterThanOrEqual(store.fileWrites, 1)
    XCTAssertEqual(store.snapshot().listeners.count, 100)
    XCTAssertEqual(StateStore(path: path).snapshot().listeners.count, 100)
    XCTAssertEqual(store.warnings, [])
  }

  /// Issue 15 (fleet): the stores of one process that share a file share its writes. Six sessions (three accounts,
  /// two of them twice: same scope) record behind; the first store's flush writes every store's changes in one
  /// replace of the file, each into its own scope, and leaves nothing queued anywhere.
  func testStoresSharingAFileShareOneWrite() async throws {
    let dir = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("state.json").path
    let scopes = [0, 1, 2, 0, 1, 2].map { StateScope.account("acc-\($0)", casEndpoint: "https://cas.example") }
    let stores = scopes.map { StateStore(path: path, scope: $0) }
    for store in stores { store.state.withLockedValue { $0.writeBehindScopes += 1 } }
    for (n, store) in stores.enumerated() {
      for i in 0..<20 {
        let record = ListenerRecord(certificateIds: ["\(n)-\(i)-cn-hangzhou"], updatedAt: Fixtures.now)
        await store.recordOrWarn { $0.listeners["lsr-\(n)-\(i)"] = record }
      }
    }
    stores[0].flush()
    XCTAssertEqual(stores.map(\.pendingChanges), [0, 0, 0, 0, 0, 0], "one writer took every store's changes")
    for store in stores { store.state.withLockedValue { $0.writeBehindScopes -= 1 } }
    for (n, scope) in scopes.prefix(3).enumerated() {
      let listeners = StateStore(path: path, scope: scope).snapshot().listeners
      XCTAssertEqual(listeners.count, 40, "scope \(n): its two sessions' records")
      XCTAssertEqual(listeners["lsr-\(n + 3)-19"]?.certificateIds, ["\(n + 3)-19-cn-hangzhou"])
    }
    // Each store sees its scope as written, the other session of its account included.
    XCTAssertEqual(stores[3].snapshot().listeners.count, 40)
    XCTAssertEqual(stores.flatMap(\.warnings), [])
  }

  /// A fleet run's sessions end at different times: inside `SharedStateWrites.together` their records are written
  /// behind until the whole run ends, and are all on disk, each in its scope, when it has.
  func testAFleetRunHasEverySessionsRecordsOnDiskWhenItEnds() async throws {
    let dir = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("state.json").path
    let scopes = (0..<3).map { StateScope.account("acc-\($0)", casEndpoint: "https://cas.example") }
    let stores = scopes.map { StateStore(path: path, scope: $0) }
    await SharedStateWrites.together {
      for (n, store) in stores.enumerated() {
        await store.writingBehind {
          for i in 0..<10 {
            let record = ListenerRecord(certificateIds: ["\(n)-\(i)-cn-hangzhou"], updatedAt: Fixtures.now)
            await store.recordOrWarn { $0.listeners["lsr-\(n)-\(i)"] = record }
          }
        }
        XCTAssertEqual(store.snapshot().listeners.count, 10, "visible to the run at once")
      }
    }
    XCTAssertFalse(SharedStateWrites.isTogether)
    XCTAssertEqual(stores.map(\.pendingChanges), [0, 0, 0])
    for (n, scope) in scopes.enumerated() {
      XCTAssertEqual(StateStore(path: path, scope: scope).snapshot().listeners.count, 10, "scope \(n)")
    }
  }

  /// Inside `writingBehind` a recorder does not wait for the disk: its change is visible at once, shares a write
  /// with the others, and is on disk when the run ends; a later `update` never lets an older record win.
  func testARunWritesItsRecordsBehindAndEverythingIsOnDiskWhenItEnds() async throws {
    let dir = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("state.json").path
    let store = StateStore(path: path)
    let record = { (id: String) in ListenerRecord(certificateIds: [id], updatedAt: Fixtures.now) }
    await store.writingBehind {
      for i in 0..<200 {
        let value = record("\(i)-cn-hangzhou")
        await store.recordOrWarn { $0.listeners["lsr-\(i)"] = value }
      }
      XCTAssertEqual(store.snapshot().listeners.count, 200, "visible to the run at once")
      XCTAssertLessThan(store.fileWrites, 200)
      let newer = record("new-cn-hangzhou")
      let older = record("old-cn-hangzhou")
      await store.recordOrWarn { $0.listeners["lsr-x"] = older }
      try? store.update { $0.listeners["lsr-x"] = newer }
    }
    XCTAssertEqual(store.pendingChanges, 0)
    let reloaded = StateStore(path: path).snapshot().listeners
    XCTAssertEqual(reloaded.count, 201)
    XCTAssertEqual(reloaded["lsr-x"]?.certificateIds, ["new-cn-hangzhou"])
    XCTAssertEqual(store.warnings, [])
  }

  /// The file this store wrote last is reused instead of re-read only while nobody replaced it.
  func testAFileAnotherStoreReplacedIsReadAgainBeforeTheNextWrite() throws {
    let dir = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("state.json").path
    let a = StateStore(path: path)
    let b = StateStore(path: path)
    let record = { (id: String) in ListenerRecord(certificateIds: [id], updatedAt: Fixtures.now) }
    try a.update { $0.listeners["lsr-a1"] = record("1-cn-hangzhou") }
    try b.update { $0.listeners["lsr-b"] = record("2-cn-hangzhou") }
    try a.update { $0.listeners["lsr-a2"] = record("3-cn-hangzhou") }
    XCTAssertEqual(StateStore(path: path).snapshot().listeners.keys.sorted(), ["lsr-a1", "lsr-a2", "lsr-b"])
    XCTAssertEqual(a.snapshot().listeners.keys.sorted(), ["lsr-a1", "lsr-a2", "lsr-b"])
  }

  func testNamingIsDeterministicReadableAndShort() {
    let sha = String(repeating: "AB", count: 32)
    let long = String(repeating: "very-long-label.", count: 8) + "example.test"
    let a = CertificateNaming.name(commonName: long, notAfter: Fixtures.now, sha256: sha)
    XCTAssertLessThanOrEqual(a.count, 63)
    XCTAssertEqual(a, CertificateNaming.name(commonName: long, notAfter: Fixtures.now, sha256: sha))
    XCTAssertTrue(a.hasSuffix("-20260601-abababab"), a)
    let w = CertificateNaming.name(commonName: "*.example.test", notAfter: Fixtures.now, sha256: sha)
    XCTAssertEqual(w, "certhook-wildcard.example.test-20260601-abababab")
    var seen = Set<String>()
    for attempt in 0..<8 {
      let n = CertificateNaming.name(commonName: long, notAfter: Fixtures.now, sha256: sha, attempt: attempt)
      XCTAssertLessThanOrEqual(n.count, 63)
      XCTAssertTrue(seen.insert(n).inserted, n)
    }
  }

  func testClientTokensAreDeterministicAndDistinct() {
    let a = ClientTokens.token(listenerId: "lsr-1", operation: "associate", certificateIds: ["2", "1"], state: ["9"])
    XCTAssertEqual(
      a, ClientTokens.token(listenerId: "lsr-1", operation: "associate", certificateIds: ["1", "2"], state: ["9"]))
    XCTAssertLessThanOrEqual(a.count, 64)
    XCTAssertNotEqual(
      a, ClientTokens.token(listenerId: "lsr-2", operation: "associate", certificateIds: ["1", "2"], state: ["9"]))
    XCTAssertNotEqual(
      a, ClientTokens.token(listenerId: "lsr-1", operation: "dissociate", certificateIds: ["1", "2"], state: ["9"]))
    XCTAssertNotEqual(
      a, ClientTokens.token(listenerId: "lsr-1", operation: "associate", certificateIds: ["1", "2"], state: []))
  }
}

final class DeadlineTests: XCTestCase {
  func testDeadlineCancelsSlowWork() async throws {
    do {
      _ = try await Deadline.run(seconds: 0.05, what: "slow work") {
        try await Task.sleep(nanoseconds: 5_000_000_000)
        return 1
      }
      XCTFail("finished")
    } catch let error as CertHookError {
      XCTAssertTrue("\(error)".contains("slow work"), "\(error)")
    }
    // Work that ignores cancellation is abandoned, not awaited.
    let start = Date()
    do {
      _ = try await Deadline.run(seconds: 0.05, what: "stubborn work") { () async throws -> Int in
        let until = Date().addingTimeInterval(0.6)
        while Date() < until { try? await Task.sleep(nanoseconds: 20_000_000) }
        return 2
      }
      XCTFail("finished")
    } catch {
      XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
    }
    let fast = try await Deadline.run(seconds: 5, what: "fast") { 7 }
    XCTAssertEqual(fast, 7)
  }
}
