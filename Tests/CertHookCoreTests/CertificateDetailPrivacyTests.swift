import AlibabaCloud
import CertHookCore
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 9 "never download private keys": certificate lookups ask `GetUserCertificateDetail` with
/// `CertFilter=true`, so no private key crosses the wire; the PEM is fetched only when CAS leaves `Sans` empty.
final class CertificateDetailPrivacyTests: XCTestCase {
  func testCertificateLookupsNeverBringThePrivateKey() async throws {
    let clock: @Sendable () -> Date = { Fixtures.now }
    var emulator = EmulatorConfiguration(jobDelay: .milliseconds(30), clock: clock)
    emulator.recordWire = true
    let server = try await EmulatorServer.start(emulator)
    let runtime = ClientRuntime(
      now: clock, nonce: { UUID().uuidString.lowercased() }, random: { 0.5 }, sleep: { try await Task.sleep(for: $0) })
    let configuration = ClientConfiguration(
      region: "cn-hangzhou", albEndpoint: server.endpoint, casEndpoint: server.endpoint, runtime: runtime)
    let credentials = StaticCredentialProvider(AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret"))
    let transport = AsyncHTTPClientTransport()
    let backend = AlibabaCloudBackend(
      alb: try ALBClient(configuration: configuration, credentials: credentials, transport: transport),
      cas: try CASClient(configuration: configuration, credentials: credentials, transport: transport))
    do {
      let issued = try Fixtures.leaf(["private.example.test", "www.private.example.test"])
      let certId = try await backend.uploadCertificate(
        name: "privacy", certificatePEM: issued.certificate.pem, keyPEM: try issued.key.pkcs8PEM(), clientToken: "p1")
      let detail = try await backend.certificateDetail(certId: certId)
      XCTAssertEqual(detail?.sha256?.uppercased(), issued.certificate.sha256Fingerprint.uppercased())
      XCTAssertEqual(Set(detail?.sans ?? []), ["private.example.test", "www.private.example.test"])
      let remote = CertificateCatalog.describe(detail: try XCTUnwrap(detail), identifier: "\(certId)-cn-hangzhou")
      XCTAssertEqual(Set(remote.dnsNames), ["private.example.test", "www.private.example.test"])
      _ = try await backend.certificateDetail(certId: certId)

      let lookups = await server.requestLog().filter { $0.action == "GetUserCertificateDetail" }
      XCTAssertGreaterThanOrEqual(lookups.count, 2)
      for record in lookups {
        let query = record.wire?.rawQuery ?? ""
        XCTAssertTrue(query.contains("CertFilter=true"), query)
        XCTAssertFalse(query.contains("CertFilter=false"), query)
      }
    } catch {
      try? await transport.shutdown()
      await server.stop()
      throw error
    }
    try? await transport.shutdown()
    await server.stop()
  }
}
