import CertHookCore
import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 11 items 12 (hook paths used exactly as given) and 13 (a CA certificate as the leaf is a `caAsLeaf` refusal).
final class HookInputHardeningTests: XCTestCase {
  func testHookPathsAreUsedExactlyAsGiven() throws {
    let certbot = try HookInvocation.detect(
      environment: ["RENEWED_LINEAGE": "/etc/letsencrypt/live/example.test "], arguments: [])
    XCTAssertEqual(certbot.lineage, "/etc/letsencrypt/live/example.test ")
    XCTAssertEqual(certbot.certificatePath, "/etc/letsencrypt/live/example.test /cert.pem")

    let acme = try HookInvocation.detect(
      environment: ["CERT_PATH": " /certs/a.cer", "CERT_KEY_PATH": "/certs/a.key\n"], arguments: [])
    XCTAssertEqual(acme.certificatePath, " /certs/a.cer")
    XCTAssertEqual(acme.keyPath, "/certs/a.key\n")

    let lego = try HookInvocation.detect(
      environment: ["LEGO_CERT_PATH": "/lego/a.crt\t", "LEGO_CERT_KEY_PATH": "/lego/a.key"], arguments: [])
    XCTAssertEqual(lego.certificatePath, "/lego/a.crt\t")
  }

  func testATrailingSpaceLineageNeverDeploysItsNeighbour() async throws {
    let root = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let good = try Fixtures.leaf(["example.test"])
    let lineage = try Fixtures.writeLineage(good, in: root)
    let expired = try Fixtures.leaf(["example.test"], from: -100, until: -1)
    let spaced = try Fixtures.writeLineage(expired, in: root, name: "example.test ")
    XCTAssertEqual(spaced, lineage + " ")
    let cloud = FakeCloud()
    let config = try Fixtures.oneListenerConfiguration(lineage: nil)
    let invocation = try HookInvocation.detect(environment: ["RENEWED_LINEAGE": spaced], arguments: [])
    do {
      _ = try await DeployHookRunner(configuration: config, context: Fixtures.context(cloud)).run(invocation)
      XCTFail("the expired certificate behind the trailing space was deployed (or its neighbour was)")
    } catch let error as CertHookError {
      XCTAssertTrue("\(error)".contains("[expired]"), "\(error)")
    }
    let calls = await cloud.calls
    XCTAssertEqual(calls, [], "nothing was called")
  }

  func testACACertificateAsTheLeafIsRefusedWithCaAsLeaf() async throws {
    let root = try Fixtures.tempDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let lineage = try Fixtures.writeLineage(Fixtures.ca, in: root)
    let cloud = FakeCloud()
    let config = try Fixtures.oneListenerConfiguration(lineage: nil)
    let invocation = try HookInvocation.detect(environment: ["RENEWED_LINEAGE": lineage], arguments: [])
    do {
      _ = try await DeployHookRunner(configuration: config, context: Fixtures.context(cloud)).run(invocation)
      XCTFail("a CA certificate was accepted")
    } catch let error as CertHookError {
      guard case .refused(let reasons) = error else { return XCTFail("not a refusal (exit 2): \(error)") }
      XCTAssertTrue(reasons.contains { $0.contains("[caAsLeaf]") }, "\(reasons)")
    }
    let calls = await cloud.calls
    XCTAssertEqual(calls, [])
  }
}
