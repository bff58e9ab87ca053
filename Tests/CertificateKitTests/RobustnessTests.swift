import CertificateKit
import Foundation
import XCTest

/// Randomized mutations of valid inputs (fixed seed): every case ends in values or a clean thrown error.
final class RobustnessTests: XCTestCase {
  private func corpus() throws -> (pem: [[UInt8]], der: [[UInt8]]) {
    let chain = try Fixtures.chain()
    var request = Fixtures.leafRequest("fuzz.example", dnsNames: ["fuzz.example", "*.fuzz.example"])
    request.ipAddresses = ["192.0.2.7", "2001:db8::7"]
    request.emailAddresses = ["a@fuzz.example"]
    request.uris = ["https://fuzz.example/"]
    let rsa = try CertificateFactory.issue(request, subjectKey: try Fixtures.key(Fixtures.rsaKey), issuer: nil)
    let ed = try CertificateFactory.issue(request, subjectKey: try Fixtures.key(Fixtures.edKey), issuer: nil)
    let directory = try TemporaryDirectory()
    let rootPath = try directory.write("root.pem", chain.root.pem)
    let trusted = try OpenSSLTool.run(["x509", "-in", rootPath, "-trustout", "-addtrust", "serverAuth"])
    let pem = [
      chain.leaf.pem, chain.leaf.pem + chain.intermediate.pem + chain.root.pem, rsa.pem, ed.pem, trusted,
      chain.leaf.pem + (try chain.leafKey.pkcs8PEM()),
    ].map { Array($0.utf8) }
    return (pem, [chain.leaf.der, chain.intermediate.der, rsa.der, ed.der, chain.leaf.der + chain.root.der])
  }

  func testMutatedCertificatesParseOrThrowCleanly() throws {
    let (pem, der) = try corpus()
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
    let rsaPath = try directory.write("rsa.pem", try Fixtures.key(Fixtures.rsaKey).pkcs8PEM())
    let ecPath = try directory.write("ec.pem", try Fixtures.key(Fixtures.ecKey).pkcs8PEM())
    let inputs = [
      try Fixtures.key(Fixtures.rsaKey).pkcs8PEM(), try Fixtures.key(Fixtures.ecKey).pkcs8PEM(),
      try Fixtures.key(Fixtures.edKey).pkcs8PEM(), try OpenSSLTool.run(["rsa", "-in", rsaPath, "-traditional"]),
      try OpenSSLTool.run(["ec", "-in", ecPath]),
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
