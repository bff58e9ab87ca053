import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Asserts that every `Certificate` field equals what `openssl x509` shows for the same certificate.
enum FieldComparison {
  static func assertMatchesOpenSSL(_ certificate: Certificate, file: StaticString = #filePath, line: UInt = #line)
    throws
  {
    let directory = try TemporaryDirectory()
    let path = try directory.write("cert.pem", certificate.pem)
    let view = try OpenSSLView(pemPath: path)
    XCTAssertEqual(certificate.subject.rfc4514, view.subject, "subject", file: file, line: line)
    XCTAssertEqual(certificate.issuer.rfc4514, view.issuer, "issuer", file: file, line: line)
    XCTAssertEqual(certificate.serialNumber, view.normalizedSerial, "serial", file: file, line: line)
    XCTAssertEqual(
      TimestampText.rfc3339(certificate.notBefore).replacingOccurrences(of: "T", with: " "), view.notBefore, file: file,
      line: line)
    XCTAssertEqual(
      TimestampText.rfc3339(certificate.notAfter).replacingOccurrences(of: "T", with: " "), view.notAfter, file: file,
      line: line)
    XCTAssertEqual(certificate.sha1Fingerprint, view.sha1, "sha1", file: file, line: line)
    XCTAssertEqual(certificate.sha256Fingerprint, view.sha256, "sha256", file: file, line: line)
    XCTAssertEqual(certificate.spkiSHA256, view.spkiSHA256, "spki", file: file, line: line)
    XCTAssertEqual(
      certificate.signatureAlgorithm, view.signatureAlgorithm, "signature algorithm", file: file, line: line)
    XCTAssertEqual(certificate.dnsNames, view.dnsNames, "dns names", file: file, line: line)
    XCTAssertEqual(certificate.ipAddresses.count, view.ipAddresses.count, "ip count", file: file, line: line)
    for (ours, theirs) in zip(certificate.ipAddresses, view.ipAddresses) {
      XCTAssertEqual(try ipBytes(ours), try ipBytes(theirs), "ip \(ours) vs \(theirs)", file: file, line: line)
    }
    XCTAssertEqual(certificate.emailAddresses, view.emailAddresses, file: file, line: line)
    XCTAssertEqual(certificate.uris, view.uris, file: file, line: line)
    XCTAssertEqual(certificate.extendedKeyUsages, view.extendedKeyUsages, "eku", file: file, line: line)
    XCTAssertEqual(certificate.keyUsage?.names, view.keyUsageNames, "key usage", file: file, line: line)
    if let constraints = view.basicConstraints {
      let expected =
        certificate.isCA ? "CA:TRUE" + (certificate.pathLength.map { ", pathlen:\($0)" } ?? "") : "CA:FALSE"
      XCTAssertEqual(constraints, expected, "basic constraints", file: file, line: line)
    } else {
      XCTAssertFalse(certificate.isCA, file: file, line: line)
      XCTAssertNil(certificate.pathLength, file: file, line: line)
    }
    switch certificate.publicKey.algorithm {
    case .rsa:
      XCTAssertEqual(view.publicKeyAlgorithm, "rsaEncryption", file: file, line: line)
      XCTAssertEqual(certificate.publicKey.bits, view.publicKeyBits, file: file, line: line)
    case .ec:
      XCTAssertEqual(view.publicKeyAlgorithm, "id-ecPublicKey", file: file, line: line)
      XCTAssertEqual(certificate.publicKey.bits, view.publicKeyBits, file: file, line: line)
      XCTAssertEqual(certificate.publicKey.curve, view.curve, file: file, line: line)
    case .ed25519:
      XCTAssertEqual(view.publicKeyAlgorithm, "ED25519", file: file, line: line)
      XCTAssertEqual(certificate.publicKey.bits, 256, file: file, line: line)
    default:
      XCTFail("unexpected key type \(certificate.publicKey)", file: file, line: line)
    }
  }

  /// Normalizes IP text (OpenSSL prints IPv6 uncompressed, uppercase) by parsing it with inet_pton.
  private static func ipBytes(_ text: String) throws -> [UInt8] {
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
    var v4 = in_addr()
    guard inet_pton(AF_INET, text, &v4) == 1 else { throw OpenSSLTool.Failure(description: "bad ip \(text)") }
    return withUnsafeBytes(of: &v4) { Array($0) }
  }
}
