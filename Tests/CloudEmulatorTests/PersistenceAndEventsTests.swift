import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// `--state` persistence and the event log.
final class PersistenceAndEventsTests: XCTestCase {
  func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("certhook-emulator-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
  }

  func testStateIsPersistedWithMode0600AndReloaded() async throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("state.json").path
    let h = try await EmulatorHarness.start { $0.statePath = path }
    let a = try await h.upload(name: "kept", domains: ["kept.example.test"])
    let assoc = try await h.call(
      "AssociateAdditionalCertificatesWithListener",
      [
        ("ListenerId", "lsr-emulator-443"), ("Certificates.1.CertificateId", a.identifier),
        ("ClientToken", "persist-1"),
      ])
    XCTAssertEqual(assoc.status, 200)
    h.finishJobs()
    let before = await h.server.state()
    let eventsBefore = await h.server.events()
    await h.stop()

    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    XCTAssertEqual(leftovers, ["state.json"], "no temporary files left behind")

    // A different seed is ignored: the state file wins.
    var other = EmulatorSeed.default
    other.loadBalancers = []
    let clock = TestClock(h.clock.now)
    let restarted = try await EmulatorServer.start(
      EmulatorConfiguration(seed: other, jobDelay: .milliseconds(50), statePath: path, clock: clock.function))
    let h2 = try EmulatorHarness(server: restarted, clock: clock)
    addTeardownBlock { await h2.stop() }
    let after = await restarted.state()
    XCTAssertEqual(after, before)
    let eventsAfter = await restarted.events()
    XCTAssertEqual(eventsAfter, eventsBefore)
    // Idempotency survives the restart, and new events continue the sequence.
    let replay = try await h2.call(
      "AssociateAdditionalCertificatesWithListener",
      [
        ("ListenerId", "lsr-emulator-443"), ("Certificates.1.CertificateId", a.identifier),
        ("ClientToken", "persist-1"),
      ])
    XCTAssertEqual(replay.string("JobId"), assoc.string("JobId"))
    let b = try await h2.upload(name: "new", domains: ["new.example.test"])
    XCTAssertGreaterThan(b.certId, a.certId)
    let events = await restarted.events()
    XCTAssertEqual(events.map { $0.seq }, Array(1...events.count))
  }

  func testPendingJobsFinishAfterARestart() async throws {
    let dir = try temporaryDirectory()
    let path = dir.appendingPathComponent("state.json").path
    let h = try await EmulatorHarness.start { $0.statePath = path }
    let a = try await h.upload(name: "a", domains: ["a.example.test"])
    _ = try await h.call(
      "AssociateAdditionalCertificatesWithListener",
      [("ListenerId", "lsr-emulator-443"), ("Certificates.1.CertificateId", a.identifier)])
    await h.stop()
    let clock = TestClock(h.clock.now.addingTimeInterval(1))
    let restarted = try await EmulatorServer.start(EmulatorConfiguration(statePath: path, clock: clock.function))
    addTeardownBlock { await restarted.stop() }
    let state = await restarted.state()
    XCTAssertEqual(state.listener("lsr-emulator-443")?.status, "Running")
    XCTAssertEqual(state.listener("lsr-emulator-443")?.certificates.first?.status, "Associated")
  }

  func testEventLogProvesContinuousCoverage() async throws {
    let h = try await EmulatorHarness.start()
    addTeardownBlock { await h.stop() }
    let old = try await h.upload(name: "old", domains: ["www.example.test"])
    let new = try await h.upload(name: "new", domains: ["www.example.test"])
    _ = try await h.call(
      "AssociateAdditionalCertificatesWithListener",
      [("ListenerId", "lsr-emulator-443"), ("Certificates.1.CertificateId", old.identifier)])
    h.finishJobs()
    _ = try await h.call(
      "AssociateAdditionalCertificatesWithListener",
      [("ListenerId", "lsr-emulator-443"), ("Certificates.1.CertificateId", new.identifier)])
    h.finishJobs()
    _ = try await h.call(
      "DissociateAdditionalCertificatesFromListener",
      [("ListenerId", "lsr-emulator-443"), ("Certificates.1.CertificateId", old.identifier)])
    h.finishJobs()
    _ = try await h.call("ListListeners")

    let (status, data) = try await h.client.get("/_emulator/events")
    XCTAssertEqual(status, 200)
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
    let decoded = try lines.map { try JSONDecoder().decode(EmulatorEvent.self, from: Data($0.utf8)) }
    let events = await h.server.events()
    XCTAssertEqual(decoded, events)
    let firstLine = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    let time = try XCTUnwrap(firstLine["time"] as? String)
    XCTAssertNotNil(
      time.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression), time)

    let mine = events.filter {
      $0.listenerId == "lsr-emulator-443" && [old.identifier, new.identifier].contains($0.certificateId ?? "")
    }
    XCTAssertEqual(
      mine.map { "\($0.kind.rawValue) \($0.certificateId == old.identifier ? "old" : "new")" },
      [
        "certificate-associating old", "certificate-associated old", "certificate-associating new",
        "certificate-associated new", "certificate-dissociating old", "certificate-dissociated old",
      ])
    // Replay the log: www.example.test is served from the first association on, without a gap.
    var serving: [String: Set<String>] = [:]
    var coveredSince: Date?
    for event in events where event.listenerId == "lsr-emulator-443" {
      switch event.kind {
      case .certificateAssociated: serving[event.certificateId ?? ""] = Set(event.domains ?? [])
      case .certificateDissociating: serving[event.certificateId ?? ""] = nil
      default: break
      }
      let covered = serving.values.contains { $0.contains("www.example.test") }
      if covered, coveredSince == nil { coveredSince = event.time }
      if coveredSince != nil { XCTAssertTrue(covered, "gap at event \(event.seq)") }
    }
    XCTAssertNotNil(coveredSince)
    let associated = try XCTUnwrap(
      events.first { $0.kind == .certificateAssociated && $0.certificateId == old.identifier })
    XCTAssertEqual(associated.loadBalancerId, "alb-emulator01")
    XCTAssertNotNil(associated.jobId)
    XCTAssertEqual(
      associated.time.timeIntervalSince(TestClock.reference), 0.05, accuracy: 0.0005,
      "stamped with the job's completion time")
  }

  func testObservabilityRoutes() async throws {
    let h = try await EmulatorHarness.start()
    addTeardownBlock { await h.stop() }
    _ = try await h.upload(name: "a", domains: ["a.example.test"])
    let (status, data) = try await h.client.get("/_emulator/state")
    XCTAssertEqual(status, 200)
    let text = String(decoding: data, as: UTF8.self)
    XCTAssertFalse(text.contains("PRIVATE KEY"), "the state view has no keys")
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    XCTAssertEqual(json["region"] as? String, "cn-hangzhou")
    XCTAssertEqual((json["loadBalancers"] as? [[String: Any]])?.count, 1)
    let (reqStatus, reqData) = try await h.client.get("/_emulator/requests")
    XCTAssertEqual(reqStatus, 200)
    let first = try XCTUnwrap(String(decoding: reqData, as: UTF8.self).split(separator: "\n").first)
    let record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    XCTAssertEqual(record["action"] as? String, "UploadUserCertificate")
    XCTAssertEqual(record["status"] as? Int, 200)
    let (missing, _) = try await h.client.get("/_emulator/nothing")
    XCTAssertEqual(missing, 404)
  }
}
