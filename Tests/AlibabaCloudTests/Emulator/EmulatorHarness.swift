import AlibabaCloud
import CertificateKit
import CloudEmulator
import Foundation
import Logging

/// An in-process emulator on 127.0.0.1:0 sharing one manual clock with the clients: client sleeps
/// (backoff, rate limiting, job polling) advance the clock, so async jobs finish without real waiting.
struct ClientEmulatorHarness {
  let server: EmulatorServer
  let clock: TestClock
  let alb: ALBClient
  let cas: CASClient
  let transport: AsyncHTTPClientTransport
  let configuration: ClientConfiguration

  static let reference = Date(timeIntervalSince1970: 1_790_000_000)

  static func start(
    seed: EmulatorSeed = .default, jobDelay: Duration = .milliseconds(500), retry: RetryPolicy = RetryPolicy(),
    logger: Logger = Logger(label: "test"), configure: (inout EmulatorConfiguration) -> Void = { _ in }
  ) async throws -> ClientEmulatorHarness {
    let clock = TestClock(reference)
    var emulator = EmulatorConfiguration(seed: seed, jobDelay: jobDelay, clock: { clock.now })
    configure(&emulator)
    let server = try await EmulatorServer.start(emulator)
    let transport = AsyncHTTPClientTransport()
    let configuration = ClientConfiguration(
      region: "cn-hangzhou", albEndpoint: server.endpoint, casEndpoint: server.endpoint, retryPolicy: retry,
      runtime: clock.runtime(), logger: logger)
    let credentials = StaticCredentialProvider(AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret"))
    return ClientEmulatorHarness(
      server: server, clock: clock,
      alb: try ALBClient(configuration: configuration, credentials: credentials, transport: transport),
      cas: try CASClient(configuration: configuration, credentials: credentials, transport: transport),
      transport: transport, configuration: configuration)
  }

  func stop() async {
    try? await transport.shutdown()
    await server.stop()
  }

  /// A fresh EC certificate + key valid around the reference time.
  static func certificate(_ name: String, serial: UInt8) throws -> (cert: String, key: String) {
    let key = try PrivateKey.generate(.ecP256)
    let request = CertificateFactory.Request(
      commonName: name, dnsNames: [name, "www.\(name)"], notBefore: reference.addingTimeInterval(-86_400),
      notAfter: reference.addingTimeInterval(86_400 * 90), serialNumber: [0x01, serial])
    let cert = try CertificateFactory.issue(request, subjectKey: key, issuer: nil)
    return (cert.pem, try key.pkcs8PEM())
  }

  /// Uploads a generated certificate and returns its ALB identifier.
  func uploadCertificate(_ domain: String, serial: UInt8) async throws -> (certId: Int, identifier: String) {
    let pair = try Self.certificate(domain, serial: serial)
    let uploaded = try await cas.uploadUserCertificate(
      name: "certhook-\(domain)-\(serial)", certificatePEM: pair.cert, keyPEM: pair.key, clientToken: "up-\(domain)-\(serial)")
    let detail = try await cas.getUserCertificateDetail(certId: uploaded.certId)
    return (uploaded.certId, detail.certIdentifier)
  }
}
