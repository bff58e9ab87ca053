import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Key sizes and names as OpenSSL reports them, for keys the third-party corpora showed certhook getting wrong.
final class PublicKeyAlgorithmTests: XCTestCase {
  /// An RSA modulus encoded without its leading zero is a negative INTEGER; OpenSSL's RSA decoder reads the
  /// content bytes as the magnitude, so the key is 1024 bits, not 1023.
  func testRSAModulusWithoutLeadingZeroCountsLikeOpenSSL() throws {
    let directory = try TemporaryDirectory()
    let original = directory.path("rsa1024.pem")
    try OpenSSLTool.run([
      "req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", directory.path("rsa1024.key"), "-out", original,
      "-subj", "/CN=negative-modulus.example", "-days", "30", "-addext", "subjectAltName=DNS:negative-modulus.example",
    ])
    let der = try OpenSSLTool.runBytes(["x509", "-in", original, "-outform", "DER"])
    var stripped = false
    let edited = try CertificateSurgery.editSPKI(der) { spki in
      // BIT STRING { 00, RSAPublicKey { INTEGER n, INTEGER e } }
      var bits = spki.children[1].content
      var rsaKey = try DERNode.parse(Array(bits.dropFirst()))
      XCTAssertEqual(rsaKey.children[0].content.first, 0x00, "a 1024-bit modulus starts with a zero byte")
      rsaKey.children[0].content.removeFirst()
      stripped = true
      bits = [0x00] + rsaKey.encoded
      spki.children[1].content = bits
    }
    XCTAssertTrue(stripped)
    let path = try directory.write("negative.pem", CertificateSurgery.pem(edited))
    let openSSLText = try OpenSSLTool.run(["x509", "-in", path, "-noout", "-text"])
    XCTAssertTrue(openSSLText.contains("Public-Key: (1024 bit)"), openSSLText)
    let certificate = try Certificate.parseAll(Array(CertificateSurgery.pem(edited).utf8), source: path)[0]
    XCTAssertEqual(certificate.publicKey, PublicKeyDescription(algorithm: .rsa, bits: 1024, curve: nil))
    let unedited = try Certificate.parseAll(der, source: original)[0]
    XCTAssertEqual(unedited.publicKey.bits, 1024)
  }

  /// Keys of algorithms certhook has no case for are reported by name (OpenSSL's, or the standard one where
  /// this OpenSSL has none, such as ML-DSA on 3.0) or by dotted OID: never `UNDEF`.
  func testUnknownKeyAlgorithmsAreNamedOrGivenByOID() throws {
    let der = try CertificateFactory.issue(
      Fixtures.leafRequest("pq.example"), subjectKey: try DeterministicKeys.p256(3), issuer: nil
    ).der
    let cases: [(oid: String, parameters: DERNode?, keyBytes: Int, name: String)] = [
      ("2.16.840.1.101.3.4.3.17", nil, 1312, "ML-DSA-44"),
      ("2.16.840.1.101.3.4.3.18", nil, 1952, "ML-DSA-65"),
      ("2.16.840.1.101.3.4.3.19", nil, 2592, "ML-DSA-87"),
      ("2.16.840.1.101.3.4.4.2", nil, 1184, "ML-KEM-768"),
      (
        "1.2.643.7.1.1.1.1", .sequence([.oid("1.2.643.7.1.2.1.1.1"), .oid("1.2.643.7.1.1.2.2")]), 66,
        "gost2012_256"
      ),
      ("1.3.6.1.4.1.55555.7.1", nil, 64, "1.3.6.1.4.1.55555.7.1"),
    ]
    let directory = try TemporaryDirectory()
    for test in cases {
      let edited = try CertificateSurgery.editSPKI(der) { spki in
        spki = .sequence([
          .sequence([.oid(test.oid)] + (test.parameters.map { [$0] } ?? [])),
          .primitive(0x03, [0x00] + [UInt8](repeating: 0x5A, count: test.keyBytes)),
        ])
      }
      let path = try directory.write("\(test.name).pem", CertificateSurgery.pem(edited))
      XCTAssertTrue(try OpenSSLTool.run(["x509", "-in", path, "-noout", "-enddate"]).hasPrefix("notAfter="))
      let certificate = try Certificate.parseAll(edited, source: test.name)[0]
      XCTAssertEqual(certificate.publicKey.algorithm, .other(test.name), test.oid)
      XCTAssertEqual(certificate.publicKey.description, test.name, "no size printed when the size is unknown")
      let report = CertificateScanner(workers: 1).scan([path], now: Fixtures.now, policy: CheckPolicy())
      XCTAssertEqual(report.entries.map(\.certificate.keyType), [test.name])
    }
  }
}
