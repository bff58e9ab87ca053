import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// `certhook probe` and `audit --probe` against the emulator's TLS listeners, with `openssl s_client` as the
/// independent judge of what is served.
final class ProbeCLITests: XCTestCase {
  static let dnsName = "alb-h1.cn-hangzhou.alb.aliyuncs.com"

  func start() async throws -> (LifecycleWorld, offset: Int) {
    // The world's listeners use 443 and 8443: both must move to free ports below 65536.
    let offset = try LoopbackPort.freeOffset(address: "127.0.1.1", for: [443, 8443])
    let world = try await LifecycleWorld.start(tlsPortOffset: offset)
    addTeardownBlock { await world.stop() }
    return (world, offset)
  }

  /// The leaf `openssl s_client -servername NAME` receives, parsed by CertificateKit.
  func sClient(_ name: String, port: Int) throws -> Certificate {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl", "s_client", "-connect", "127.0.1.1:\(port)", "-servername", name]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = Pipe()
    process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let leaf = try Certificate.parseAll(Array(data), source: "s_client").first
    return try XCTUnwrap(leaf)
  }

  func testProbeReportsWhatOpenSSLSeesForExactWildcardAndUncoveredNames() async throws {
    let (world, offset) = try await start()
    let exact = try world.lineage("exact", ["www.example.test"], days: 60)
    let wildcard = try world.lineage("wild", ["*.example.test"], days: 80)
    for lineage in [exact, wildcard] {
      let attach = try await world.run(
        ["attach", "--cert", lineage.cert, "--key", lineage.key, "--listener", "lsr-h1-https", "--replace", "none"])
      XCTAssertEqual(attach.status, 0, attach.all)
    }
    let caFile = world.root + "/ca.pem"
    try world.write(caFile, world.ca.pem)
    let names = ["www.example.test", "api.example.test", "other.test"]
    let probe = try await world.run(
      ["probe", "--listener", "lsr-h1-https"] + names.flatMap { ["--domain", $0] } + [
        "--resolve", "\(Self.dnsName):127.0.1.1", "--port-offset", String(offset), "--ca-file", caFile, "--format", "json",
      ], state: true)
    XCTAssertEqual(probe.status, 2, probe.all)  // other.test gets the default certificate, which does not cover it
    let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(probe.stdout.utf8)) as? [String: Any])
    let probes = try XCTUnwrap(document["probes"] as? [[String: Any]])
    XCTAssertEqual(probes.count, 3)
    for item in probes {
      let target = try XCTUnwrap(item["target"] as? [String: Any])
      let domain = try XCTUnwrap(target["domain"] as? String)
      let seen = try sClient(domain, port: 443 + offset)
      XCTAssertEqual(item["sha256"] as? String, seen.sha256Fingerprint, "\(domain): \(item)")
      XCTAssertEqual(item["serial"] as? String, seen.serialNumber, "\(domain): \(item)")
    }
    let byDomain = Dictionary(
      uniqueKeysWithValues: probes.map { (($0["target"] as? [String: Any])?["domain"] as? String ?? "", $0) })
    XCTAssertEqual(byDomain["www.example.test"]?["sha256"] as? String, exact.certificate.sha256Fingerprint)
    XCTAssertEqual(byDomain["www.example.test"]?["status"] as? String, "ok")
    XCTAssertEqual(byDomain["api.example.test"]?["sha256"] as? String, wildcard.certificate.sha256Fingerprint)
    XCTAssertEqual(byDomain["api.example.test"]?["status"] as? String, "ok")
    XCTAssertEqual(byDomain["other.test"]?["status"] as? String, "uncovered")

    // The table names the same facts; an unreachable address is reported per pair and exits 3.
    let table = try await world.run(
      ["probe", "--listener", "lsr-h1-https", "--domain", "www.example.test", "--resolve", "\(Self.dnsName):127.0.1.1",
       "--port-offset", String(offset), "--ca-file", caFile])
    XCTAssertEqual(table.status, 0, table.all)
    XCTAssertTrue(table.stdout.contains("lsr-h1-https  www.example.test"), table.stdout)
    XCTAssertTrue(table.stdout.hasSuffix("1 handshake: 1 ok\n"), table.stdout)
    XCTAssertTrue(table.stdout.contains(exact.certificate.serialNumber), table.stdout)
    let closed = try LoopbackPort.free(address: "127.0.1.1")
    let unreachable = try await world.run(
      ["probe", "--listener", "lsr-h1-https", "--domain", "www.example.test", "--resolve", "\(Self.dnsName):127.0.1.1",
       "--port-offset", String(closed - 443), "--probe-timeout", "2"])
    XCTAssertEqual(unreachable.status, 3, unreachable.all)
    XCTAssertTrue(unreachable.stdout.contains("unreachable"), unreachable.stdout)
  }

  func testAuditProbeAddsTheServedColumn() async throws {
    let (world, offset) = try await start()
    let exact = try world.lineage("exact", ["www.example.test"], days: 60)
    let attach = try await world.run(["attach", "--cert", exact.cert, "--key", exact.key, "--listener", "lsr-h1-https"])
    XCTAssertEqual(attach.status, 0, attach.all)
    let caFile = world.root + "/ca.pem"
    try world.write(caFile, world.ca.pem)
    let plain = try await world.run(["audit", "--listener", "lsr-h1-https"])
    XCTAssertFalse(plain.stdout.contains("SERVED FOR"), plain.stdout)
    let audit = try await world.run(
      ["audit", "--listener", "lsr-h1-https", "--probe", "--resolve", "\(Self.dnsName):127.0.1.1",
       "--port-offset", String(offset), "--ca-file", caFile])
    XCTAssertTrue(audit.stdout.contains("SERVED FOR"), audit.all)
    let row = audit.stdout.split(separator: "\n").first { $0.contains("www.example.test") && !$0.contains("default") }
    XCTAssertTrue(String(row ?? "").hasSuffix("www.example.test               www.example.test"), audit.stdout)
    // The generated default (self-signed, *.emulator.invalid) is served for its own name but is untrusted.
    XCTAssertTrue(audit.stdout.contains("2 handshakes, 1 not ok"), audit.stdout)
    XCTAssertTrue(audit.stderr.contains("lsr-h1-https lsr-h1-https.emulator.invalid: untrusted"), audit.stderr)
    XCTAssertEqual(audit.status, 2, audit.all)
    let json = try await world.run(
      ["audit", "--listener", "lsr-h1-https", "--probe", "--resolve", "\(Self.dnsName):127.0.1.1",
       "--port-offset", String(offset), "--ca-file", caFile, "--format", "json"])
    let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    XCTAssertEqual((document["probes"] as? [Any])?.count, 2, json.stdout)
  }
}
