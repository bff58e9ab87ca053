import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// SIGTERM/SIGINT during `sync`: no new change starts, the one in flight reaches its safe point, the state is
/// written, the report says what was done, and the exit status is 143/130.
final class SignalCLITests: XCTestCase {
  private var world: LifecycleWorld?

  override func setUp() async throws {
    // Slow jobs (400 ms) so that a signal lands while a change is in flight.
    world = try await LifecycleWorld.start(jobDelayMilliseconds: 400)
  }

  override func tearDown() async throws {
    await world?.stop()
    world = nil
  }

  private func w() throws -> LifecycleWorld { try XCTUnwrap(world) }

  func testSIGTERMFinishesTheChangeInFlightAndExits143() async throws {
    try await interrupt(with: SIGTERM, expecting: 143)
  }

  func testSIGINTExits130() async throws {
    try await interrupt(with: SIGINT, expecting: 130)
  }

  private func interrupt(with signalNumber: Int32, expecting status: Int32) async throws {
    let w = try w()
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    let config = try w.config(
      """
      version: 1
      region: cn-hangzhou
      rateLimits:
        concurrency: 1
      deployments:
        - name: example
          domains: [example.test, www.example.test]
          source: {certbotLineage: \(lineage.directory)}
          targets:
            - loadBalancer: alb-h1
            - loadBalancer: alb-h2
      """)
    let process = Process()
    process.executableURL = try ScanCLIHarness.binary()
    process.arguments = ["sync", "--config", config, "--state", w.root + "/state.json"]
    process.environment = w.environment
    let outPath = w.root + "/signal-out"
    let errPath = w.root + "/signal-err"
    XCTAssertTrue(FileManager.default.createFile(atPath: outPath, contents: nil))
    XCTAssertTrue(FileManager.default.createFile(atPath: errPath, contents: nil))
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let (exited, exit) = AsyncStream<Void>.makeStream()
    process.terminationHandler = { _ in
      exit.yield()
      exit.finish()
    }
    try process.run()
    // Wait for the first association, then signal while its job runs.
    var associated = false
    for _ in 0..<600 {
      let log = await w.server.requestLog()
      if log.contains(where: { $0.action == "AssociateAdditionalCertificatesWithListener" && $0.status == 200 }) {
        associated = true
        break
      }
      try await Task.sleep(nanoseconds: 10_000_000)
    }
    XCTAssertTrue(associated, "sync never associated")
    kill(process.processIdentifier, signalNumber)
    for await _ in exited { break }
    let stdout = try String(contentsOfFile: outPath, encoding: .utf8)
    let stderr = try String(contentsOfFile: errPath, encoding: .utf8)
    let all = "status \(process.terminationStatus)\nstdout:\n\(stdout)\nstderr:\n\(stderr)"
    XCTAssertEqual(process.terminationReason, .exit, all)
    XCTAssertEqual(process.terminationStatus, status, all)
    XCTAssertTrue(stderr.contains("\(signalNumber == SIGTERM ? "SIGTERM" : "SIGINT") received"), all)
    XCTAssertTrue(stdout.contains("stopped by \(signalNumber == SIGTERM ? "SIGTERM" : "SIGINT")"), all)

    // The listener in flight finished its whole change: it serves the new certificate (never neither).
    let id = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    var serving = 0
    for listener in ["lsr-h1-https", "lsr-h1-quic", "lsr-h2-https", "lsr-h2-8443"] {
      if await w.certificates(on: listener).contains(id) { serving += 1 }
    }
    XCTAssertGreaterThanOrEqual(serving, 1, all)
    XCTAssertLessThan(serving, 4, "listeners not started stay as they were\n\(all)")
    // Every association the run started was finished and verified (no job left half-way).
    let log = await w.server.requestLog()
    let associations = log.filter { $0.action == "AssociateAdditionalCertificatesWithListener" && $0.status == 200 }
    XCTAssertEqual(associations.count, serving, all)
    // The state was written and parses.
    let state = try Data(contentsOf: URL(fileURLWithPath: w.root + "/state.json"))
    XCTAssertTrue(String(decoding: state, as: UTF8.self).contains("certhook-state"))

    // A second run converges the rest.
    let again = try await w.run(["sync", "--config", config])
    XCTAssertEqual(again.status, 0, again.all)
    for listener in ["lsr-h1-https", "lsr-h1-quic", "lsr-h2-https", "lsr-h2-8443"] {
      let certs = await w.certificates(on: listener)
      XCTAssertTrue(certs.contains(id), "\(listener): \(certs)")
    }
  }
}
