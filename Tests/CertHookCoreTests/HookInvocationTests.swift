import CertHookCore
import Foundation
import XCTest

final class HookInvocationTests: XCTestCase {
  func testCertbot() throws {
    let h = try HookInvocation.detect(
      environment: [
        "RENEWED_LINEAGE": "/etc/letsencrypt/live/example.test/", "RENEWED_DOMAINS": "example.test www.example.test",
      ],
      arguments: [])
    XCTAssertEqual(h.client, .certbot)
    XCTAssertEqual(h.certificatePath, "/etc/letsencrypt/live/example.test/cert.pem")
    XCTAssertEqual(h.keyPath, "/etc/letsencrypt/live/example.test/privkey.pem")
    XCTAssertEqual(h.chainPath, "/etc/letsencrypt/live/example.test/chain.pem")
    XCTAssertEqual(h.domains, ["example.test", "www.example.test"])
    XCTAssertEqual(h.lineage, "/etc/letsencrypt/live/example.test")
  }

  func testAcmeShEnvironmentAndDeployHookArguments() throws {
    let env = try HookInvocation.detect(
      environment: [
        "CERT_PATH": "/a/example.test.cer", "CERT_KEY_PATH": "/a/example.test.key", "CA_CERT_PATH": "/a/ca.cer",
        "CERT_FULLCHAIN_PATH": "/a/fullchain.cer", "Le_Domain": "example.test",
      ], arguments: [])
    XCTAssertEqual(env.client, .acmeSh)
    XCTAssertEqual(env.certificatePath, "/a/example.test.cer")
    XCTAssertEqual(env.keyPath, "/a/example.test.key")
    XCTAssertEqual(env.chainPath, "/a/ca.cer")
    XCTAssertEqual(env.domains, ["example.test"])

    let args = try HookInvocation.detect(
      environment: [:], arguments: ["example.test", "/a/k.key", "/a/c.cer", "/a/ca.cer", "/a/full.cer"])
    XCTAssertEqual(args.client, .acmeSh)
    XCTAssertEqual(args.keyPath, "/a/k.key")
    XCTAssertEqual(args.certificatePath, "/a/c.cer")
    XCTAssertEqual(args.chainPath, "/a/ca.cer")
    XCTAssertEqual(args.domains, ["example.test"])
  }

  func testLegoV4AndV5() throws {
    let v4 = try HookInvocation.detect(
      environment: [
        "LEGO_CERT_PATH": "/l/certificates/_.example.test.crt",
        "LEGO_CERT_KEY_PATH": "/l/certificates/_.example.test.key",
        "LEGO_CERT_DOMAIN": "*.example.test", "LEGO_ACCOUNT_EMAIL": "a@example.test",
        "LEGO_CERT_PEM_PATH": "/l/certificates/_.example.test.pem",
      ], arguments: [])
    XCTAssertEqual(v4.client, .legoV4)
    XCTAssertEqual(v4.certificatePath, "/l/certificates/_.example.test.crt")
    XCTAssertEqual(v4.keyPath, "/l/certificates/_.example.test.key")
    XCTAssertEqual(v4.domains, ["*.example.test"])

    let v5 = try HookInvocation.detect(
      environment: [
        "LEGO_HOOK_CERT_PATH": "/l/c.crt", "LEGO_HOOK_CERT_KEY_PATH": "/l/c.key",
        "LEGO_HOOK_CERT_DOMAINS": "example.test,www.example.test",
      ], arguments: [])
    XCTAssertEqual(v5.client, .legoV5)
    XCTAssertEqual(v5.domains, ["example.test", "www.example.test"])
  }

  func testExplicitAndFailures() throws {
    let e = HookInvocation.explicit(certificatePath: "/c.pem", keyPath: "/k.pem")
    XCTAssertEqual(e.client, .explicit)
    XCTAssertThrowsError(try HookInvocation.detect(environment: ["PATH": "/usr/bin"], arguments: [])) { error in
      XCTAssertTrue("\(error)".contains("no ACME client detected"))
    }
    XCTAssertThrowsError(try HookInvocation.detect(environment: ["LEGO_CERT_PATH": "/c"], arguments: []))
    XCTAssertThrowsError(try HookInvocation.detect(environment: ["CERT_PATH": "/c"], arguments: []))
    XCTAssertThrowsError(try HookInvocation.detect(environment: [:], arguments: ["only-one"]))
  }
}
