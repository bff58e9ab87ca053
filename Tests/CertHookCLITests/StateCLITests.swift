import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// The state cache through the binary: issue 11 items 1-3 and 13, and issue 10 part 1's stale-cache sequence.
final class StateCLITests: LifecycleWorldTestCase {

  /// One deployment for example.test on lsr-h1-https.
  private func oneListenerConfig(_ w: LifecycleWorld) throws -> String {
    try w.config(
      "version: 1\nregion: cn-hangzhou\ndeployments:\n  - name: example\n    domains: [example.test]\n"
        + "    targets:\n      - listener: lsr-h1-https\n")
  }

  func testANonRegularStatePathIsRefusedBeforeAnythingHappens() async throws {
    let w = try w()
    let fifo = w.root + "/state.fifo"
    XCTAssertEqual(mkfifo(fifo, 0o600), 0)
    let result = try await w.run(["audit", "--state", fifo], state: false)
    XCTAssertEqual(result.status, 64, result.all)
    XCTAssertTrue(result.stderr.contains("is not a regular file"), result.all)
    var info = stat()
    XCTAssertEqual(lstat(fifo, &info), 0)
    XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "still a FIFO")
    XCTAssertFalse(FileManager.default.fileExists(atPath: fifo + ".lock"))
    let requests = await w.requestCount()
    XCTAssertEqual(requests, 0)
  }

  func testAConfigurationGivenAsStateIsNeverOverwritten() async throws {
    let w = try w()
    let yaml = "version: 1\nregion: cn-hangzhou\ndeployments: []\n"
    let config = try w.config(yaml)
    let result = try await w.run(["audit", "--state", config], state: false)
    XCTAssertEqual(result.status, 64, result.all)
    XCTAssertTrue(result.stderr.contains("not a certhook state file"), result.all)
    XCTAssertEqual(try String(contentsOfFile: config, encoding: .utf8), yaml)
  }

  func testAnUnwritableStateIsAWarningAndTheHookConverges() async throws {
    let w = try w()
    let config = try oneListenerConfig(w)
    let lineage = try w.lineage("example.test", ["example.test"], days: 90)
    // The lock cannot be opened (a dangling symlink, refused by O_NOFOLLOW): the cache cannot be written.
    let target = w.root + "/planted-target"
    try FileManager.default.createSymbolicLink(atPath: w.root + "/state.json.lock", withDestinationPath: target)
    let result = try await w.run(
      ["deploy-hook", "--config", config], extra: ["RENEWED_LINEAGE": lineage.directory])
    XCTAssertEqual(result.status, 0, result.all)
    XCTAssertTrue(result.all.contains("state cache not saved"), result.all)
    XCTAssertFalse(FileManager.default.fileExists(atPath: target), "the symlink's target was created")
    let id = try await XCTUnwrapAsync(await w.identifier(of: lineage.certificate))
    let certs = await w.certificates(on: "lsr-h1-https")
    XCTAssertEqual(certs, [id])
  }

  func testACACertificateAsTheLeafExitsTwoWithCaAsLeaf() async throws {
    let w = try w()
    let config = try oneListenerConfig(w)
    let directory = w.root + "/live/ca"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try w.write(directory + "/cert.pem", w.ca.pem)
    try w.write(directory + "/chain.pem", w.ca.pem)
    try w.write(directory + "/privkey.pem", try w.caKey.pkcs8PEM(), mode: 0o600)
    let result = try await w.run(["deploy-hook", "--config", config], extra: ["RENEWED_LINEAGE": directory])
    XCTAssertEqual(result.status, 2, result.all)
    XCTAssertTrue(result.stderr.contains("caAsLeaf"), result.all)
    let requests = await w.requestCount()
    XCTAssertEqual(requests, 0)
  }

  /// Issue 10: the same state file, the emulator restarted without its state on the same endpoint (same account):
  /// `audit` must report the truth and `attach` must retire the superseded certificate.
  func testTheStaleCacheSequence() async throws {
    let w = try w()
    let longLived = try w.lineage("long", ["stale.example.test"], days: 1824)
    let first = try await w.run(["attach", "--cert", longLived.cert, "--key", longLived.key, "--listener", "lsr-h1-https"])
    XCTAssertEqual(first.status, 0, first.all)
    let audit1 = try await w.run(["audit", "--listener", "lsr-h1-https", "--format", "json"])
    XCTAssertEqual(audit1.status, 0, audit1.all)
    let longId = try await XCTUnwrapAsync(await w.identifier(of: longLived.certificate))

    // Restart without state on the same port, replaying the first world's IDs (a real cloud never reuses one,
    // but a cache must not trust that: a different account or site, or an emulator run, gives the same IDs).
    let port = w.server.port
    let firstId = await w.server.state().certificates.map(\.certId).min()
    await w.server.stop()
    var configuration = EmulatorConfiguration(port: port, seed: LifecycleWorld.seed, jobDelay: .milliseconds(20))
    configuration.firstCertificateId = firstId
    let restarted = try await EmulatorServer.start(configuration)
    do {
      let soon = try w.lineage("soon", ["stale.example.test"], days: 19)
      let second = try await w.run(["attach", "--cert", soon.cert, "--key", soon.key, "--listener", "lsr-h1-https"])
      XCTAssertEqual(second.status, 0, second.all)
      let state = await restarted.state()
      let soonId = try XCTUnwrap(
        state.certificates.first { $0.sha2.uppercased() == soon.certificate.sha256Fingerprint.uppercased() }?
          .certIdentifier)
      XCTAssertEqual(soonId, longId, "the restarted emulator reuses the ID for another certificate")

      let audit2 = try await w.run(["audit", "--listener", "lsr-h1-https", "--format", "json"])
      XCTAssertEqual(audit2.status, 1, "the truth is a warning (19 days)\n\(audit2.all)")
      let rows = try XCTUnwrap(try LifecycleWorld.json(audit2.stdout)["certificates"] as? [[String: Any]])
      let row = try XCTUnwrap(rows.first { $0["certificateId"] as? String == soonId })
      XCTAssertEqual(row["status"] as? String, "warning")
      XCTAssertEqual(row["daysRemaining"] as? Int, 18)

      let renewed = try w.lineage("renewed", ["stale.example.test"], days: 90)
      let third = try await w.run(["attach", "--cert", renewed.cert, "--key", renewed.key, "--listener", "lsr-h1-https"])
      XCTAssertEqual(third.status, 0, third.all)
      let after = await restarted.state()
      let listener = after.loadBalancers.flatMap(\.listeners).first { $0.id == "lsr-h1-https" }
      let ids = listener?.certificates.map(\.certificateId) ?? []
      XCTAssertFalse(ids.contains(soonId), "the superseded certificate is retired: \(ids)\n\(third.all)")
    } catch {
      await restarted.stop()
      throw error
    }
    await restarted.stop()
  }
}
