import CertHookCore
import CertHookTestSupport
import CertificateKit
import Foundation
import AlibabaCloud
import CloudEmulator
import Logging

/// A certificate with its key.
struct Issued: Sendable {
  let certificate: Certificate
  let key: PrivateKey
}

/// Test fixtures built relative to one fixed reference time.
extension Fixtures {
  /// 2026-06-01T00:00:00Z.
  static let now = Date(timeIntervalSince1970: 1_780_272_000)
  static let day: TimeInterval = 86_400

  static let ca: Issued = {
    do {
      let key = try PrivateKey.generate(.ecP256)
      let cert = try CertificateFactory.issue(
        .init(
          commonName: "certhook test CA", notBefore: now - 3650 * day, notAfter: now + 3650 * day, isCA: true,
          extendedKeyUsages: nil),
        subjectKey: key, issuer: nil)
      return Issued(certificate: cert, key: key)
    } catch {
      fatalError("cannot build the test CA: \(error)")
    }
  }()

  /// A leaf issued by the test CA, valid from `from` days to `until` days relative to `now`.
  static func leaf(
    _ names: [String], from: Double = -30, until: Double = 60, eku: [String]? = ["serverAuth"], key: PrivateKey? = nil
  ) throws -> Issued {
    let k = try key ?? PrivateKey.generate(.ecP256)
    let cert = try CertificateFactory.issue(
      .init(
        commonName: names.first ?? "x", dnsNames: names, notBefore: now + from * day, notAfter: now + until * day,
        extendedKeyUsages: eku),
      subjectKey: k, issuer: (ca.certificate, ca.key))
    return Issued(certificate: cert, key: k)
  }

  /// Writes cert.pem, chain.pem, privkey.pem (certbot lineage layout) into a fresh directory.
  static func writeLineage(_ issued: Issued, in root: URL, name: String = "example.test", key: PrivateKey? = nil) throws
    -> String
  {
    let dir = root.appendingPathComponent("live/\(name)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try issued.certificate.pem.write(to: dir.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
    try ca.certificate.pem.write(to: dir.appendingPathComponent("chain.pem"), atomically: true, encoding: .utf8)
    try (issued.certificate.pem + ca.certificate.pem).write(
      to: dir.appendingPathComponent("fullchain.pem"), atomically: true, encoding: .utf8)
    try (key ?? issued.key).pkcs8PEM().write(
      to: dir.appendingPathComponent("privkey.pem"), atomically: true, encoding: .utf8)
    return dir.path
  }

  /// A configuration with one deployment `example` for `domains` on one listener, from a certbot lineage or (nil)
  /// by domain match.
  static func oneListenerConfiguration(
    lineage: String?, domains: [String] = ["example.test"], listener: String = "lsr-1"
  ) throws -> CertHookConfiguration {
    let source = lineage.map { "    source: {certbotLineage: \($0)}\n" } ?? ""
    let yaml =
      "version: 1\nregion: cn-hangzhou\ndeployments:\n  - name: example\n"
      + "    domains: [\(domains.joined(separator: ", "))]\n\(source)    targets:\n      - listener: \(listener)\n"
    return try CertHookConfiguration.decode(yaml: yaml, source: "test.yaml").0
  }

  /// Writes `fullchain.pem` (leaf + test CA) and `key.pem` into a fresh directory below `root`.
  static func writeFullchain(_ issued: Issued, in root: URL) throws -> CertificateReference {
    let dir = root.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let cert = dir.appendingPathComponent("fullchain.pem")
    let key = dir.appendingPathComponent("key.pem")
    try (issued.certificate.pem + ca.certificate.pem).write(to: cert, atomically: true, encoding: .utf8)
    try issued.key.pkcs8PEM().write(to: key, atomically: true, encoding: .utf8)
    return .files(certificate: cert.path, key: key.path, chain: nil)
  }

  static func tempDirectory() throws -> URL {
    try makeTemporaryDirectory(prefix: "certhook-core")
  }

  static var logger: Logger {
    var l = Logger(label: "certhook.test")
    l.logLevel = .critical
    return l
  }

  static func context(_ backend: any CloudBackend, state: StateStore = StateStore(path: nil), concurrency: Int = 4)
    -> RunnerContext
  {
    RunnerContext(backend: backend, state: state, now: now, logger: logger, concurrency: concurrency, jobTimeout: 5)
  }
}

extension EmulatorHarness {
  /// An emulator plus an `AlibabaCloudBackend` talking to it, both on a clock that starts at `Fixtures.now` and
  /// advances in real time (jobs need time to pass); clients sleep for real.
  static func startForBackend(
    seed: EmulatorSeed, jobDelay: Duration = .milliseconds(30), faults: FaultSpec = .none, faultSeed: UInt64 = 1,
    tlsPortOffset: Int? = nil
  ) async throws -> EmulatorHarness {
    let clock = TestClock(Fixtures.now, followingRealTime: true)
    let runtime = ClientRuntime(
      now: clock.function, nonce: { UUID().uuidString.lowercased() }, random: { 0.5 },
      sleep: { try await Task.sleep(for: $0) })
    var logger = Logger(label: "certhook.test.client")
    logger.logLevel = .critical
    return try await EmulatorHarness.start(
      seed: seed, jobDelay: jobDelay, faults: faults, faultSeed: faultSeed, clock: clock, runtime: runtime,
      retry: RetryPolicy(
        maxAttempts: 8, baseDelay: .milliseconds(10), maxDelay: .milliseconds(100), totalTimeCap: .seconds(20)),
      logger: logger, pollInterval: .milliseconds(15)
    ) { emulator in
      if let tlsPortOffset {
        emulator.serveTLS = true
        emulator.tlsPortOffset = tlsPortOffset
      }
    }
  }
}
