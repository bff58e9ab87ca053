import CertHookCore
import CertificateKit
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// A deployment without a local source deploys the newest valid CAS certificate covering its domains, read from a
/// detail asked for without the PEM (CertFilter=true: CAS's own SANs name it).
final class SyncWithoutSourceTests: XCTestCase {
  func testSyncWithoutASourceDeploysTheNewestCoveringCASCertificate() async throws {
    let root = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let harness = try await EmulatorHarness.startForBackend(seed: EmulatorIntegrationTests.seed, jobDelay: .milliseconds(20))
    do {
      let older = try Fixtures.leaf(["example.test", "www.example.test"], from: -60, until: 30)
      let newer = try Fixtures.leaf(["example.test", "www.example.test"], from: -1, until: 89)
      for issued in [older, newer] {
        _ = try await harness.backend.uploadCertificate(
          name: "cert-\(issued.certificate.serialNumber)", certificatePEM: issued.certificate.pem + Fixtures.ca.certificate.pem,
          keyPEM: try issued.key.pkcs8PEM(), clientToken: "upload-\(issued.certificate.serialNumber)")
      }
      let yaml =
        "version: 1\nregion: cn-hangzhou\ndeployments:\n  - name: by-domain\n"
        + "    domains: [example.test, www.example.test]\n    targets:\n      - listener: lsr-h1-https\n"
      let configuration = try CertHookConfiguration.decode(yaml: yaml, source: "test.yaml").0
      let state = StateStore(path: root.appendingPathComponent("state.json").path)
      let result = await SyncRunner(configuration: configuration, context: Fixtures.context(harness.backend, state: state))
        .run()
      XCTAssertFalse(result.report.hasFailures, "\(result.report)")
      XCTAssertEqual(result.report.counts[.updated], 1, "\(result.report)")
      let newerId = await harness.identifier(sha256: newer.certificate.sha256Fingerprint)
      let listener = await harness.listener("lsr-h1-https")
      XCTAssertEqual(listener?.certificates.map(\.certificateId), [try XCTUnwrap(newerId)])
    } catch {
      await harness.stop()
      throw error
    }
    await harness.stop()
  }
}
