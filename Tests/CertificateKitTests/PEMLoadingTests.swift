import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// `Certificate.parseAll` on the PEM and DER shapes found in the wild.
final class PEMLoadingTests: XCTestCase {
  private var chain: Fixtures.Chain!

  override func setUpWithError() throws {
    chain = try Fixtures.chain()
  }

  func testBundleWithTextAroundAndCRLF() throws {
    let text =
      "subject=CN=www\r\nissuer=CN=Test Intermediate\r\n" + chain.leaf.pem + "\r\nsome notes\r\n"
      + chain.intermediate.pem + "trailing text"
    let crlf = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    for input in [text, crlf] {
      let certificates = try Certificate.parseAll(Array(input.utf8), source: "bundle.pem")
      XCTAssertEqual(certificates, [chain.leaf, chain.intermediate])
    }
  }

  func testBase64WithoutLineBreaksAndWithSpaces() throws {
    let base64 = Data(chain.leaf.der).base64EncodedString()
    let oneLine = "-----BEGIN CERTIFICATE-----\n\(base64)\n-----END CERTIFICATE-----\n"
    XCTAssertEqual(try Certificate.parseAll(Array(oneLine.utf8), source: "x"), [chain.leaf])
    let spaced =
      "-----BEGIN CERTIFICATE-----\n  \(base64.prefix(10))\t\n \(base64.dropFirst(10))  \n-----END CERTIFICATE-----"
    XCTAssertEqual(try Certificate.parseAll(Array(spaced.utf8), source: "x"), [chain.leaf])
  }

  func testTrustedAndX509CertificateLabels() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("root.pem", chain.root.pem)
    let trusted = try OpenSSLTool.run(["x509", "-in", path, "-trustout", "-addtrust", "serverAuth"])
    XCTAssertTrue(trusted.contains("BEGIN TRUSTED CERTIFICATE"))
    XCTAssertEqual(try Certificate.parseAll(Array(trusted.utf8), source: "trusted.pem"), [chain.root])
    let x509 = chain.leaf.pem.replacingOccurrences(of: "CERTIFICATE-----", with: "X509 CERTIFICATE-----")
    XCTAssertEqual(try Certificate.parseAll(Array(x509.utf8), source: "x"), [chain.leaf])
  }

  func testLegoPEMWithKeyAfterCertificatesAndOtherBlocksIgnored() throws {
    let key = try chain.leafKey.pkcs8PEM()
    let text =
      chain.leaf.pem + chain.intermediate.pem + key
      + "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
    XCTAssertEqual(try Certificate.parseAll(Array(text.utf8), source: "lego.pem"), [chain.leaf, chain.intermediate])
  }

  func testDERAndConcatenatedDER() throws {
    XCTAssertEqual(try Certificate.parseAll(chain.leaf.der, source: "a.der"), [chain.leaf])
    XCTAssertEqual(
      try Certificate.parseAll(chain.leaf.der + chain.intermediate.der, source: "a.der"),
      [chain.leaf, chain.intermediate])
    XCTAssertThrowsError(try Certificate(derEncoded: chain.leaf.der + [0x00]))
    XCTAssertThrowsError(try Certificate.parseAll(chain.leaf.der + [0x30, 0x03, 0x01], source: "a.der"))
  }

  func testOpenSSLWrittenDERLoads() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("leaf.pem", chain.leaf.pem)
    let der = try OpenSSLTool.runBytes(["x509", "-in", path, "-outform", "DER"])
    XCTAssertEqual(try Certificate.parseAll(der, source: "leaf.der"), [chain.leaf])
  }

  func testNoCertificateErrorsNameTheSource() throws {
    let inputs: [[UInt8]] = [
      [], Array("hello world".utf8), Array(try chain.leafKey.pkcs8PEM().utf8),
      Array("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n".utf8),
    ]
    for input in inputs {
      XCTAssertThrowsError(try Certificate.parseAll(input, source: "/etc/ssl/x.pem")) { error in
        XCTAssertEqual(error as? CertificateKitError, .noCertificate(source: "/etc/ssl/x.pem"))
        XCTAssertTrue("\(error)".contains("/etc/ssl/x.pem"))
      }
    }
  }

  func testMalformedCertificateBlocksThrow() throws {
    let pem = chain.leaf.pem
    let cases: [(String, String)] = [
      (pem.replacingOccurrences(of: "-----END CERTIFICATE-----\n", with: ""), "missing -----END"),
      (pem.replacingOccurrences(of: "\n-----END", with: "!!\n-----END"), "invalid base64"),
      ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "certificate #1 is malformed"),
      (chain.intermediate.pem + pem.replacingOccurrences(of: "\n-----END", with: "AAAA\n-----END"), "certificate #2"),
    ]
    for (input, expected) in cases {
      XCTAssertThrowsError(try Certificate.parseAll(Array(input.utf8), source: "bad.pem")) { error in
        let message = "\(error)"
        XCTAssertTrue(message.contains("bad.pem"), message)
        XCTAssertTrue(message.contains(expected), "\(message) lacks \(expected)")
      }
    }
  }
}

/// DER input that is not a certificate is "no certificate", not "malformed certificate".
final class DERShapeTests: XCTestCase {
  func testDERKeysAreNoCertificate() throws {
    let directory = try TemporaryDirectory()
    for key in [try Fixtures.key(Fixtures.rsaKey), try Fixtures.key(Fixtures.ecKey), try Fixtures.key(Fixtures.edKey)] {
      let path = try directory.write("key.pem", try key.pkcs8PEM())
      for arguments in [
        ["pkey", "-in", path, "-outform", "DER"], ["pkey", "-in", path, "-pubout", "-outform", "DER"],
      ] {
        let der = try OpenSSLTool.runBytes(arguments)
        XCTAssertThrowsError(try Certificate.parseAll(der, source: "key.der")) { error in
          XCTAssertEqual(error as? CertificateKitError, .noCertificate(source: "key.der"))
        }
      }
    }
  }

  func testTruncatedDERCertificateIsMalformed() throws {
    let certificate = try CertificateFactory.issue(
      Fixtures.leafRequest(), subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: nil)
    for length in [certificate.der.count - 1, certificate.der.count / 2, 16] {
      XCTAssertThrowsError(try Certificate.parseAll(Array(certificate.der.prefix(length)), source: "c.der")) { error in
        guard case .malformedCertificate(let source, let index, _)? = error as? CertificateKitError else {
          return XCTFail("\(error)")
        }
        XCTAssertEqual(source, "c.der")
        XCTAssertEqual(index, 0)
      }
    }
  }
}
