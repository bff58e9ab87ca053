import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Randomized mutations of valid inputs (fixed seed): every case ends in values or a clean thrown error.
final class RobustnessTests: XCTestCase {
  /// Valid inputs, byte-identical on every run: all signatures are Ed25519 or RSA PKCS#1 v1.5 with fixed keys.
  private func corpus() throws -> (pem: [[UInt8]], der: [[UInt8]], keys: [PrivateKey]) {
    let rootKey = try DeterministicKeys.ed25519(1)
    let intermediateKey = try DeterministicKeys.rsa()
    let leafKey = try DeterministicKeys.p256(2)
    let root = try CertificateFactory.issue(Fixtures.caRequest("Fuzz Root"), subjectKey: rootKey, issuer: nil)
    let intermediate = try CertificateFactory.issue(
      Fixtures.caRequest("Fuzz Intermediate", pathLength: 0), subjectKey: intermediateKey, issuer: (root, rootKey))
    var request = Fixtures.leafRequest("fuzz.example", dnsNames: ["fuzz.example", "*.fuzz.example"])
    request.ipAddresses = ["192.0.2.7", "2001:db8::7"]
    request.emailAddresses = ["a@fuzz.example"]
    request.uris = ["https://fuzz.example/"]
    let leaf = try CertificateFactory.issue(request, subjectKey: leafKey, issuer: (intermediate, intermediateKey))
    let rsa = try CertificateFactory.issue(request, subjectKey: intermediateKey, issuer: nil)
    let ed = try CertificateFactory.issue(request, subjectKey: try DeterministicKeys.ed25519(3), issuer: nil)
    let directory = try TemporaryDirectory()
    let rootPath = try directory.write("root.pem", root.pem)
    let trusted = try OpenSSLTool.run(["x509", "-in", rootPath, "-trustout", "-addtrust", "serverAuth"])
    let pem = [
      leaf.pem, leaf.pem + intermediate.pem + root.pem, rsa.pem, ed.pem, trusted, leaf.pem + (try leafKey.pkcs8PEM()),
    ].map { Array($0.utf8) }
    return (
      pem, [leaf.der, intermediate.der, rsa.der, ed.der, leaf.der + root.der], [rootKey, intermediateKey, leafKey]
    )
  }

  func testCorpusIsIdenticalOnEveryRun() throws {
    let first = try corpus()
    let second = try corpus()
    XCTAssertEqual(first.pem, second.pem)
    XCTAssertEqual(first.der, second.der)
  }

  func testMutatedCertificatesParseOrThrowCleanly() throws {
    let (pem, der, _) = try corpus()
    var mutator = Mutator(seed: 0xC0FF_EE12_3456)
    var parsed = 0
    var thrown = 0
    let cases = 12_000
    for index in 0..<cases {
      let usePEM = index % 2 == 0
      let base = usePEM ? pem[mutator.int(0..<pem.count)] : der[mutator.int(0..<der.count)]
      var input = mutator.any(base, isPEM: usePEM)
      if mutator.int(0..<8) == 0 { input = mutator.any(input, isPEM: usePEM) }
      do {
        let certificates = try Certificate.parseAll(input, source: "fuzz.pem")
        XCTAssertFalse(certificates.isEmpty)
        parsed += 1
        if index % 5 == 0 {
          // The values must be usable: checks re-parse with OpenSSL's full decoder.
          _ = CertificateChecker.check(chain: certificates, key: nil, domains: ["fuzz.example"], now: Fixtures.now)
          _ = certificates.map { ($0.pem, $0.covers(hostname: "a.fuzz.example"), $0.isServerAuthUsable) }
        }
      } catch let error as CertificateKitError {
        thrown += 1
        XCTAssertTrue(error.description.contains("fuzz.pem"), error.description)
      } catch {
        XCTFail("unexpected error type: \(error)")
      }
    }
    print("certificate mutations: \(parsed) parsed, \(thrown) rejected")
    XCTAssertEqual(parsed + thrown, cases)
    XCTAssertGreaterThan(parsed, 100, "mutations should not all be fatal")
    XCTAssertGreaterThan(thrown, cases / 2)
  }

  func testMutatedPrivateKeysLoadOrThrowCleanly() throws {
    let directory = try TemporaryDirectory()
    let keys = try corpus().keys
    let rsaPath = try directory.write("rsa.pem", try keys[1].pkcs8PEM())
    let ecPath = try directory.write("ec.pem", try keys[2].pkcs8PEM())
    let inputs = [
      try keys[1].pkcs8PEM(), try keys[2].pkcs8PEM(), try keys[0].pkcs8PEM(),
      try OpenSSLTool.run(["rsa", "-in", rsaPath, "-traditional"]), try OpenSSLTool.run(["ec", "-in", ecPath]),
    ].map { Array($0.utf8) }
    let secrets = inputs.map { input in
      String(decoding: input, as: UTF8.self).split(separator: "\n").dropFirst().dropLast().map { String($0.prefix(24)) }
    }
    var mutator = Mutator(seed: 0x5EED_0004)
    var loaded = 0
    var thrown = 0
    let cases = 3_000
    for _ in 0..<cases {
      let which = mutator.int(0..<inputs.count)
      let input = mutator.any(inputs[which], isPEM: true)
      do {
        let key = try PrivateKey(pem: input, source: "fuzz.key")
        XCTAssertTrue(key.description.contains("redacted"))
        loaded += 1
      } catch let error as CertificateKitError {
        thrown += 1
        let message = error.description + String(reflecting: error)
        for secret in secrets[which] where secret.count == 24 {
          XCTAssertFalse(message.contains(secret), "error leaks key material: \(message)")
        }
      } catch {
        XCTFail("unexpected error type: \(error)")
      }
    }
    print("key mutations: \(loaded) loaded, \(thrown) rejected")
    XCTAssertEqual(loaded + thrown, cases)
    XCTAssertGreaterThan(thrown, cases / 2)
  }
}
