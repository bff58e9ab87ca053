import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Certificates made by `openssl req` with less common key types: fields, key description and matching.
final class KeyTypeCoverageTests: XCTestCase {
  private struct Case {
    let newkey: [String]
    let algorithm: KeyAlgorithm
    let bits: Int
    let curve: String?
  }

  func testKeyTypesAgreeWithOpenSSL() throws {
    let directory = try TemporaryDirectory()
    try OpenSSLTool.run([
      "genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024", "-out",
      directory.path("dsa-params.pem"),
    ])
    let cases = [
      Case(newkey: ["ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"], algorithm: .ec, bits: 256, curve: "secp256k1"),
      Case(newkey: ["ec", "-pkeyopt", "ec_paramgen_curve:P-521"], algorithm: .ec, bits: 521, curve: "P-521"),
      Case(
        newkey: ["ec", "-pkeyopt", "ec_paramgen_curve:brainpoolP256r1"], algorithm: .ec, bits: 256,
        curve: "brainpoolP256r1"),
      Case(newkey: ["ec", "-pkeyopt", "ec_paramgen_curve:prime239v1"], algorithm: .ec, bits: 239, curve: "prime239v1"),
      Case(
        newkey: ["ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-pkeyopt", "ec_param_enc:explicit"], algorithm: .ec,
        bits: 256,
        curve: nil),
      Case(newkey: ["rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048"], algorithm: .rsa, bits: 2048, curve: nil),
      Case(newkey: ["rsa:1024"], algorithm: .rsa, bits: 1024, curve: nil),
      Case(newkey: ["ed448"], algorithm: .ed448, bits: 456, curve: nil),
      Case(newkey: ["dsa:" + directory.path("dsa-params.pem")], algorithm: .dsa, bits: 1024, curve: nil),
    ]
    for (index, test) in cases.enumerated() {
      let certPath = directory.path("cert\(index).pem")
      let keyPath = directory.path("key\(index).pem")
      var arguments = ["req", "-x509", "-newkey"]
      arguments.append(test.newkey[0])
      arguments += Array(test.newkey.dropFirst())
      arguments += [
        "-nodes", "-keyout", keyPath, "-out", certPath, "-subj", "/CN=keytype\(index).example", "-days", "365",
        "-addext", "subjectAltName=DNS:keytype\(index).example",
      ]
      try OpenSSLTool.run(arguments)
      let certificate = try XCTUnwrap(
        try Certificate.parseAll(try directory.read("cert\(index).pem"), source: certPath).first)
      XCTAssertEqual(
        certificate.publicKey, PublicKeyDescription(algorithm: test.algorithm, bits: test.bits, curve: test.curve),
        "\(test.newkey)")
      let view = try OpenSSLView(pemPath: certPath)
      XCTAssertEqual(certificate.signatureAlgorithm, view.signatureAlgorithm)
      XCTAssertEqual(certificate.spkiSHA256, view.spkiSHA256)
      XCTAssertEqual(certificate.sha256Fingerprint, view.sha256)
      if let bits = view.publicKeyBits { XCTAssertEqual(certificate.publicKey.bits, bits) }
      let key = try PrivateKey(pem: try directory.read("key\(index).pem"), source: keyPath)
      XCTAssertTrue(key.matches(certificate), "\(test.newkey)")
      XCTAssertEqual(key.publicKey.algorithm, test.algorithm)
      XCTAssertEqual(key.publicKey.bits, test.bits)
      // Self-signed: a chain of the certificate and itself verifies with OpenSSL for every key type.
      // (`openssl req -x509` marks the certificate CA:TRUE, so caAsLeaf is expected and ignored here.)
      let findings = CertificateChecker.check(
        chain: [certificate, certificate], key: key, domains: ["keytype\(index).example"],
        now: certificate.notBefore + 60
      ).filter { $0.code != .caAsLeaf }
      XCTAssertTrue(certificate.isCA)
      let weak = test.bits < (test.algorithm == .ec ? 256 : 2048) && test.algorithm != .ed448
      XCTAssertEqual(
        findings.map(\.code), weak ? [.weakKey, .weakKey] : [], "\(test.newkey): \(findings.map(\.message))")
    }
  }

  func testGeneratedKeysDescribeLikeTheirCertificates() throws {
    for key in [
      try Fixtures.key(Fixtures.rsaKey), try Fixtures.key(Fixtures.ecKey), try Fixtures.key(Fixtures.edKey),
      try PrivateKey.generate(.ecP384),
    ] {
      let certificate = try CertificateFactory.issue(Fixtures.leafRequest(), subjectKey: key, issuer: nil)
      XCTAssertEqual(certificate.publicKey, key.publicKey)
    }
  }
}
