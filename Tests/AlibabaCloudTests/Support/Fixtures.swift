import AlibabaCloud
import CertHookTestSupport
import CertificateKit
import CloudEmulator
import Foundation
import Logging

/// Shared builders for client tests.
extension Fixtures {
  /// The client tests' reference time (their `TestClock` starts here).
  static let clientStart = Date(timeIntervalSince1970: 1_790_000_000)

  static let secret = "testsecret-DO-NOT-LEAK-1234"
  static let stsToken = "sts-token-DO-NOT-LEAK-5678"
  static let credentials = AccessCredentials(accessKeyId: "testid", accessKeySecret: secret)

  static func configuration(
    clock: TestClock, logger: Logger = Logger(label: "test"), retry: RetryPolicy = RetryPolicy(),
    limits: [String: RateLimit] = [:], endpoint: String = "http://127.0.0.1:9"
  ) -> ClientConfiguration {
    ClientConfiguration(
      region: "cn-hangzhou", albEndpoint: URL(string: endpoint), casEndpoint: URL(string: endpoint), retryPolicy: retry,
      rateLimits: limits, runtime: clock.runtime(), logger: logger)
  }

  static func alb(_ transport: FakeTransport, clock: TestClock, logger: Logger = Logger(label: "test"),
                  retry: RetryPolicy = RetryPolicy(), credentials: AccessCredentials = credentials) throws -> ALBClient {
    try ALBClient(
      configuration: configuration(clock: clock, logger: logger, retry: retry),
      credentials: StaticCredentialProvider(credentials), transport: transport)
  }

  static func cas(_ transport: FakeTransport, clock: TestClock, logger: Logger = Logger(label: "test")) throws -> CASClient {
    try CASClient(
      configuration: configuration(clock: clock, logger: logger), credentials: StaticCredentialProvider(credentials),
      transport: transport)
  }
}

extension EmulatorHarness {
  /// An emulator sharing one `TestClock` at `Fixtures.clientStart` with the clients: client sleeps (backoff, rate
  /// limiting, job polling) advance the clock, so async jobs finish without real waiting.
  static func startForClients(
    seed: EmulatorSeed = .default, jobDelay: Duration = .milliseconds(500), retry: RetryPolicy = RetryPolicy(),
    logger: Logger = Logger(label: "test"), configure: (inout EmulatorConfiguration) -> Void = { _ in }
  ) async throws -> EmulatorHarness {
    try await start(
      seed: seed, jobDelay: jobDelay, clock: TestClock(Fixtures.clientStart), retry: retry, logger: logger,
      configure: configure)
  }

  /// A fresh EC certificate + key valid around `Fixtures.clientStart`.
  static func certificate(_ name: String, serial: UInt8) throws -> (cert: String, key: String) {
    try Fixtures.selfSigned(
      commonName: name, dnsNames: [name, "www.\(name)"], notBefore: Fixtures.clientStart.addingTimeInterval(-86_400),
      notAfter: Fixtures.clientStart.addingTimeInterval(86_400 * 90), serialNumber: [0x01, serial])
  }

  /// Uploads a generated certificate through the CAS client and returns its ALB identifier.
  func uploadCertificate(_ domain: String, serial: UInt8) async throws -> (certId: Int, identifier: String) {
    let pair = try Self.certificate(domain, serial: serial)
    let uploaded = try await cas.uploadUserCertificate(
      name: "certhook-\(domain)-\(serial)", certificatePEM: pair.cert, keyPEM: pair.key, clientToken: "up-\(domain)-\(serial)")
    let detail = try await cas.getUserCertificateDetail(certId: uploaded.certId)
    return (uploaded.certId, detail.certIdentifier)
  }
}
