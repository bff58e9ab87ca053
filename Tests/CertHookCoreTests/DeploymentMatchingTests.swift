import CertHookCore
import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

final class DeploymentMatchingTests: XCTestCase {
  func configuration() throws -> CertHookConfiguration {
    let yaml = """
      version: 1
      deployments:
        - name: certbot
          source: {certbotLineage: /etc/letsencrypt/live/example.test/}
          domains: [example.test]
          targets: [{listener: lsr-1}]
        - name: acme
          source: {acmeShDomain: shop.test}
          domains: [shop.test]
          targets: [{listener: lsr-2}]
        - name: files
          source: {cert: /srv/tls/lego.crt, key: /srv/tls/lego.key}
          domains: [lego.test]
          targets: [{listener: lsr-3}]
        - name: by-domain
          domains: [www.example.test]
          targets: [{listener: lsr-4}]
      """
    return try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml").0
  }

  func names(_ invocation: HookInvocation, _ leaf: Certificate) throws -> [String] {
    let runner = DeployHookRunner(
      configuration: try configuration(),
      context: RunnerContext(
        backend: FakeCloud(), state: StateStore(path: nil), now: Fixtures.now, logger: Fixtures.logger,
        acmeShHome: "/root/.acme.sh"))
    return runner.matchingDeployments(for: invocation, leaf: leaf).map(\.name)
  }

  func testMatchingBySourceAndByDomains() throws {
    let apexAndWww = try Fixtures.leaf(["example.test", "www.example.test"]).certificate
    let certbot = try HookInvocation.detect(
      environment: ["RENEWED_LINEAGE": "/etc/letsencrypt/live/example.test"], arguments: [])
    XCTAssertEqual(try names(certbot, apexAndWww), ["certbot", "by-domain"])

    let shop = try Fixtures.leaf(["shop.test"]).certificate
    let acmeEnv = try HookInvocation.detect(
      environment: [
        "CERT_PATH": "/root/.acme.sh/shop.test_ecc/shop.test.cer",
        "CERT_KEY_PATH": "/root/.acme.sh/shop.test_ecc/shop.test.key", "Le_Domain": "other.test",
      ], arguments: [])
    XCTAssertEqual(try names(acmeEnv, shop), ["acme"], "matched by the acme.sh directory")
    let acmeArgs = try HookInvocation.detect(environment: [:], arguments: ["shop.test", "/k", "/c", "/ca", "/f"])
    XCTAssertEqual(try names(acmeArgs, shop), ["acme"], "matched by the acme.sh domain")

    let lego = try Fixtures.leaf(["lego.test"]).certificate
    let legoInvocation = try HookInvocation.detect(
      environment: ["LEGO_CERT_PATH": "/srv/tls/./lego.crt", "LEGO_CERT_KEY_PATH": "/srv/tls/lego.key"], arguments: [])
    XCTAssertEqual(try names(legoInvocation, lego), ["files"])

    let wildcard = try Fixtures.leaf(["*.example.test"]).certificate
    let other = HookInvocation.explicit(certificatePath: "/tmp/w.pem", keyPath: "/tmp/w.key")
    XCTAssertEqual(try names(other, wildcard), ["by-domain"], "a wildcard covers www.example.test")
    let unrelated = try Fixtures.leaf(["unrelated.test"]).certificate
    XCTAssertEqual(try names(other, unrelated), [])
  }

  func testSourceLocatorPaths() {
    let lineage = SourceLocator.files(
      for: .certbotLineage("/etc/letsencrypt/live/a/"), acmeShHome: nil, fileExists: { _ in false })
    XCTAssertEqual(lineage?.certificate, "/etc/letsencrypt/live/a/cert.pem")
    XCTAssertEqual(lineage?.key, "/etc/letsencrypt/live/a/privkey.pem")
    XCTAssertEqual(lineage?.chain, "/etc/letsencrypt/live/a/chain.pem")
    let ecc = SourceLocator.files(
      for: .acmeShDomain("a.test", home: nil), acmeShHome: "/h", fileExists: { $0 == "/h/a.test_ecc/a.test.cer" })
    XCTAssertEqual(ecc?.certificate, "/h/a.test_ecc/a.test.cer")
    XCTAssertEqual(ecc?.key, "/h/a.test_ecc/a.test.key")
    let rsa = SourceLocator.files(
      for: .acmeShDomain("a.test", home: "/x/"), acmeShHome: "/h", fileExists: { _ in false })
    XCTAssertEqual(rsa?.certificate, "/x/a.test/a.test.cer")
    XCTAssertEqual(rsa?.chain, "/x/a.test/ca.cer")
    XCTAssertNil(SourceLocator.files(for: .domainMatch, acmeShHome: nil, fileExists: { _ in true }))
  }
}
