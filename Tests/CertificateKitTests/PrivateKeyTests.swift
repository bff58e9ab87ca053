import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Private key formats, matching and redaction.
final class PrivateKeyTests: XCTestCase {
  func testFormatsConvertedByOpenSSLLoadAndMatch() throws {
    let directory = try TemporaryDirectory()
    let cases: [(PrivateKey, [String], String)] = [
      (try Fixtures.key(Fixtures.rsaKey), ["rsa", "-traditional"], "BEGIN RSA PRIVATE KEY"),
      (try Fixtures.key(Fixtures.ecKey), ["ec"], "BEGIN EC PRIVATE KEY"),
      (try Fixtures.key(Fixtures.edKey), ["pkey"], "BEGIN PRIVATE KEY"),
    ]
    for (key, command, marker) in cases {
      let certificate = try CertificateFactory.issue(Fixtures.leafRequest(), subjectKey: key, issuer: nil)
      let pkcs8 = try key.pkcs8PEM()
      XCTAssertTrue(pkcs8.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
      let path = try directory.write("key.pem", pkcs8)
      let converted = try OpenSSLTool.run(command + ["-in", path])
      XCTAssertTrue(converted.contains(marker), converted.prefix(40).description)
      for text in [pkcs8, converted, "junk before\r\n" + converted.replacingOccurrences(of: "\n", with: "\r\n")] {
        let loaded = try PrivateKey(pem: Array(text.utf8), source: "key.pem")
        XCTAssertEqual(loaded.publicKey, key.publicKey)
        XCTAssertTrue(loaded.matches(certificate))
      }
      let der = try OpenSSLTool.runBytes(["pkey", "-in", path, "-outform", "DER"])
      XCTAssertTrue(try PrivateKey(pem: der, source: "key.der").matches(certificate))
    }
  }

  func testSEC1WithParametersBlock() throws {
    let directory = try TemporaryDirectory()
    let key = try Fixtures.key(Fixtures.ecKey)
    let path = try directory.write("key.pem", try key.pkcs8PEM())
    let params = try OpenSSLTool.run(["ecparam", "-name", "prime256v1"])
    let sec1 = try OpenSSLTool.run(["ec", "-in", path])
    let loaded = try PrivateKey(pem: Array((params + sec1).utf8), source: "k")
    XCTAssertEqual(loaded.publicKey, PublicKeyDescription(algorithm: .ec, bits: 256, curve: "P-256"))
  }

  func testMismatchAcrossAndWithinKeyTypes() throws {
    let ecCertificate = try CertificateFactory.issue(
      Fixtures.leafRequest(), subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: nil)
    XCTAssertFalse(try Fixtures.key(Fixtures.otherECKey).matches(ecCertificate))
    XCTAssertFalse(try Fixtures.key(Fixtures.rsaKey).matches(ecCertificate))
    XCTAssertFalse(try Fixtures.key(Fixtures.edKey).matches(ecCertificate))
    XCTAssertTrue(try Fixtures.key(Fixtures.ecKey).matches(ecCertificate))
  }

  func testEncryptedKeysAreAClearError() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("key.pem", try Fixtures.key(Fixtures.rsaKey).pkcs8PEM())
    let pkcs8 = try OpenSSLTool.run(["pkey", "-in", path, "-aes256", "-passout", "pass:secret"])
    let legacy = try OpenSSLTool.run(["rsa", "-in", path, "-traditional", "-aes256", "-passout", "pass:secret"])
    XCTAssertTrue(pkcs8.contains("ENCRYPTED PRIVATE KEY"))
    XCTAssertTrue(legacy.contains("Proc-Type: 4,ENCRYPTED"))
    let encryptedDER = try OpenSSLTool.runBytes([
      "pkcs8", "-topk8", "-in", path, "-v2", "aes256", "-passout", "pass:secret", "-outform", "DER",
    ])
    for input in [Array(pkcs8.utf8), Array(legacy.utf8), encryptedDER] {
      XCTAssertThrowsError(try PrivateKey(pem: input, source: "/etc/key.pem")) { error in
        XCTAssertEqual(error as? CertificateKitError, .encryptedPrivateKey(source: "/etc/key.pem"))
        XCTAssertTrue("\(error)".contains("encrypted"))
      }
    }
  }

  func testMissingAndMalformedKeys() throws {
    let certificate = try CertificateFactory.issue(
      Fixtures.leafRequest(), subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: nil)
    XCTAssertThrowsError(try PrivateKey(pem: Array(certificate.pem.utf8), source: "c.pem")) { error in
      XCTAssertEqual(error as? CertificateKitError, .noPrivateKey(source: "c.pem"))
    }
    let bad = "-----BEGIN PRIVATE KEY-----\nMIIBAAAA\n-----END PRIVATE KEY-----\n"
    XCTAssertThrowsError(try PrivateKey(pem: Array(bad.utf8), source: "k.pem")) { error in
      guard case .malformedPrivateKey(let source, _)? = error as? CertificateKitError else {
        return XCTFail("unexpected \(error)")
      }
      XCTAssertEqual(source, "k.pem")
    }
    XCTAssertThrowsError(try PrivateKey(pem: [], source: "empty"))
    XCTAssertThrowsError(try PrivateKey(pem: Array("garbage".utf8), source: "g"))
  }

  func testDescriptionsAndErrorsNeverShowKeyMaterial() throws {
    for key in [try Fixtures.key(Fixtures.rsaKey), try Fixtures.key(Fixtures.ecKey), try Fixtures.key(Fixtures.edKey)] {
      let pem = try key.pkcs8PEM()
      let body = pem.split(separator: "\n").dropFirst().dropLast().joined()
      for text in [key.description, key.debugDescription, String(reflecting: key), "\(key)", String(describing: [key])]
      {
        XCTAssertTrue(text.contains("redacted"), text)
        XCTAssertFalse(text.contains(String(body.prefix(16))), text)
        XCTAssertFalse(text.contains(String(body.suffix(16))), text)
      }
      // Corrupt the key body so decoding fails; the error must not echo any of it.
      let lines = pem.split(separator: "\n").map(String.init)
      let corrupted = ([lines[0], "MIIB" + lines[1].dropFirst(8)] + lines.dropFirst(2)).joined(separator: "\n")
      XCTAssertThrowsError(try PrivateKey(pem: Array(corrupted.utf8), source: "k.pem")) { error in
        let message = "\(error)" + String(reflecting: error)
        for line in lines.dropFirst().dropLast() where line.count > 8 {
          XCTAssertFalse(message.contains(line.prefix(12)), message)
        }
      }
    }
  }

  func testGeneratedKeyDescriptions() throws {
    XCTAssertEqual(
      try Fixtures.key(Fixtures.rsaKey).publicKey, PublicKeyDescription(algorithm: .rsa, bits: 2048, curve: nil))
    XCTAssertEqual(
      try PrivateKey.generate(.ecP384).publicKey, PublicKeyDescription(algorithm: .ec, bits: 384, curve: "P-384"))
    XCTAssertEqual(try Fixtures.key(Fixtures.edKey).publicKey.algorithm, .ed25519)
    XCTAssertEqual(try Fixtures.key(Fixtures.ecKey).description, "PrivateKey(EC P-256, redacted)")
    XCTAssertThrowsError(try PrivateKey.generate(.rsa(bits: 100)))
  }
}
