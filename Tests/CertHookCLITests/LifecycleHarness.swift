import AlibabaCloud
import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// One emulated account for the lifecycle CLI tests: an in-process emulator on 127.0.0.1:0, a test CA, a work
/// folder, and a runner for the built `certhook` binary pointed at the emulator through the environment.
///
/// The emulator checks request signatures against the wall clock, so certificates are issued relative to the
/// moment the world starts (with whole-day margins, so no check depends on the exact second).
final class LifecycleWorld: @unchecked Sendable {
  struct Result {
    let status: Int32
    let stdout: String
    let stderr: String
    var all: String { "status \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
  }

  /// Files of one certificate, laid out like a certbot lineage.
  struct Lineage {
    let directory: String
    var cert: String { directory + "/cert.pem" }
    var key: String { directory + "/privkey.pem" }
    var chain: String { directory + "/chain.pem" }
    var fullchain: String { directory + "/fullchain.pem" }
    let certificate: Certificate
  }

  static let secret = "lifecycle-secret-never-printed"
  static let writeActions: Set<String> = Set(ApiAction.writeActionNames)

  let root: String
  let server: EmulatorServer
  let now: Date
  let key: PrivateKey
  let caKey: PrivateKey
  let ca: Certificate

  private init(root: String, server: EmulatorServer, now: Date, key: PrivateKey, caKey: PrivateKey, ca: Certificate) {
    self.root = root
    self.server = server
    self.now = now
    self.key = key
    self.caKey = caKey
    self.ca = ca
  }

  /// The world's emulator seed (the same every time, so a restarted emulator serves the same listeners).
  static var seed: EmulatorSeed {
    EmulatorSeed(
      region: "cn-hangzhou", accessKeys: [.init(id: "testid", secret: secret)],
      loadBalancers: [
        .init(
          id: "alb-h1",
          listeners: [
            .init(id: "lsr-h1-https", protocol: "HTTPS", port: 443), .init(id: "lsr-h1-quic", protocol: "QUIC", port: 443),
            .init(id: "lsr-h1-http", protocol: "HTTP", port: 80),
          ]),
        .init(
          id: "alb-h2",
          listeners: [
            .init(id: "lsr-h2-https", protocol: "HTTPS", port: 443), .init(id: "lsr-h2-8443", protocol: "HTTPS", port: 8443),
          ]),
      ])
  }

  /// Two load balancers: alb-h1 (HTTPS 443, QUIC 443, HTTP 80) and alb-h2 (HTTPS 443, HTTPS 8443).
  /// With `tlsPortOffset`, the emulator also serves TLS (alb-h1 at 127.0.1.1, alb-h2 at 127.0.1.2); `faults` are the
  /// emulator's (`--faults`).
  static func start(
    jobDelayMilliseconds: Int64 = 20, tlsPortOffset: Int? = nil, seed: EmulatorSeed = LifecycleWorld.seed,
    faults: FaultSpec = .none
  ) async throws -> LifecycleWorld {
    if FileManager.default.fileExists(atPath: "/etc/certhook/config.yaml") {
      throw XCTSkip("/etc/certhook/config.yaml exists on this machine and would be read by commands without --config")
    }
    let root = NSTemporaryDirectory() + "lifecycle-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    var configuration = EmulatorConfiguration(seed: seed, jobDelay: .milliseconds(jobDelayMilliseconds))
    configuration.faults = faults
    if let tlsPortOffset {
      configuration.serveTLS = true
      configuration.tlsPortOffset = tlsPortOffset
    }
    let server = try await EmulatorServer.start(configuration)
    let now = Date()
    let caKey = try PrivateKey.generate(.ecP256)
    let ca = try CertificateFactory.issue(
      .init(
        commonName: "certhook lifecycle test CA", notBefore: now - 86_400 * 30, notAfter: now + 86_400 * 3650, isCA: true,
        pathLength: 0, extendedKeyUsages: nil),
      subjectKey: caKey, issuer: nil)
    return LifecycleWorld(root: root, server: server, now: now, key: try PrivateKey.generate(.ecP256), caKey: caKey, ca: ca)
  }

  /// Stops the emulator and removes the work folder.
  func stop() async {
    await server.stop()
    try? FileManager.default.removeItem(atPath: root)
  }

  /// The environment every run gets: credentials and endpoints for the emulator, a private HOME, fast polling.
  var environment: [String: String] {
    [
      "PATH": "/usr/bin:/bin", "HOME": root + "/home", "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET": Self.secret, "CERTHOOK_ALB_ENDPOINT": server.endpoint.absoluteString,
      "CERTHOOK_CAS_ENDPOINT": server.endpoint.absoluteString, "CERTHOOK_POLL_INTERVAL": "0.02",
      "CERTHOOK_NLB_ENDPOINT": server.endpoint.absoluteString, "CERTHOOK_GA_ENDPOINT": server.endpoint.absoluteString,
      "CERTHOOK_SLB_ENDPOINT": server.endpoint.absoluteString,
    ]
  }

  /// Issues a leaf for `names` valid from `notBeforeDays` to `days` after the world's start.
  func issue(
    _ names: [String], days: Double, notBeforeDays: Double = -1, serverAuth: Bool = true, key: PrivateKey? = nil
  ) throws -> Certificate {
    try CertificateFactory.issue(
      .init(
        commonName: names[0], dnsNames: names, notBefore: now + notBeforeDays * 86_400, notAfter: now + days * 86_400,
        extendedKeyUsages: serverAuth ? ["serverAuth"] : ["clientAuth"]),
      subjectKey: key ?? self.key, issuer: (ca, caKey))
  }

  /// Writes a certbot-style lineage (cert.pem, chain.pem, fullchain.pem, privkey.pem) under `name`.
  @discardableResult
  func lineage(_ name: String, _ names: [String], days: Double, notBeforeDays: Double = -1, serverAuth: Bool = true)
    throws -> Lineage
  {
    let certificate = try issue(names, days: days, notBeforeDays: notBeforeDays, serverAuth: serverAuth)
    let lineage = Lineage(directory: root + "/live/" + name, certificate: certificate)
    try FileManager.default.createDirectory(atPath: lineage.directory, withIntermediateDirectories: true)
    try write(lineage.cert, certificate.pem)
    try write(lineage.chain, ca.pem)
    try write(lineage.fullchain, certificate.pem + ca.pem)
    try write(lineage.key, try key.pkcs8PEM(), mode: 0o600)
    return lineage
  }

  /// Writes a configuration file (mode 0600) and returns its path.
  func config(_ yaml: String, name: String = "config.yaml", mode: Int = 0o600) throws -> String {
    let path = root + "/" + name
    try write(path, yaml, mode: mode)
    return path
  }

  func write(_ path: String, _ text: String, mode: Int = 0o644) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
  }

  /// Runs `certhook arguments...` with the world's environment plus `extra`; the state file lives in the world.
  /// `executable` replaces the binary (the state option is then not added).
  func run(_ arguments: [String], extra: [String: String] = [:], state: Bool = true, executable: String? = nil)
    async throws -> Result
  {
    let process = Process()
    process.executableURL = try executable.map { URL(fileURLWithPath: $0) } ?? ScanCLIHarness.binary()
    process.arguments = arguments + (state && executable == nil ? ["--state", root + "/state.json"] : [])
    process.environment = environment.merging(extra) { $1 }
    let outPath = root + "/out-\(UUID().uuidString)"
    let errPath = root + "/err-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer {
      try? FileManager.default.removeItem(atPath: outPath)
      try? FileManager.default.removeItem(atPath: errPath)
    }
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardOutput = out
    process.standardError = err
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      process.terminationHandler = { _ in continuation.resume() }
      do {
        try process.run()
      } catch {
        process.terminationHandler = nil
        continuation.resume(throwing: error)
      }
    }
    try out.close()
    try err.close()
    let result = Result(
      status: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: URL(fileURLWithPath: outPath)), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: URL(fileURLWithPath: errPath)), as: UTF8.self))
    XCTAssertFalse(result.stdout.contains(Self.secret) || result.stderr.contains(Self.secret), "the secret leaked")
    XCTAssertFalse(result.stdout.contains("PRIVATE KEY") || result.stderr.contains("PRIVATE KEY"), "a key leaked")
    return result
  }

  /// Requests answered so far.
  func requestCount() async -> Int {
    await server.requestLog().count
  }

  /// Successful, non-dry-run mutating requests after the first `since` requests.
  func writes(since: Int = 0) async -> [RequestRecord] {
    await server.requestLog().dropFirst(since).filter { Self.writeActions.contains($0.action) && !$0.dryRun && $0.status == 200 }
  }

  /// The additional certificates on a listener.
  func certificates(on listener: String) async -> [String] {
    let state = await server.state()
    for lb in state.loadBalancers {
      if let l = lb.listeners.first(where: { $0.id == listener }) { return l.certificates.map(\.certificateId).sorted() }
    }
    return []
  }

  /// The ALB identifier of a certificate in CAS, by leaf SHA-256.
  func identifier(of certificate: Certificate) async -> String? {
    let sha = certificate.sha256Fingerprint.uppercased()
    return await server.state().certificates.first { $0.sha2 == sha }?.certIdentifier
  }

  /// Parses a JSON document printed on stdout.
  static func json(_ text: String) throws -> [String: Any] {
    try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
  }
}

extension LifecycleWorld {
  /// Runs the binary and asserts its exit status.
  func expect(
    _ status: Int32, _ arguments: [String], extra: [String: String] = [:], _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
  ) async throws {
    let result = try await run(arguments, extra: extra)
    XCTAssertEqual(result.status, status, "\(message)\n\(arguments)\n\(result.all)", file: file, line: line)
  }
}
