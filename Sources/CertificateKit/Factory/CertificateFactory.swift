internal import COpenSSL
import Foundation

/// Issues X.509 v3 certificates with OpenSSL, for tests, the emulator and `certhook demo`.
public struct CertificateFactory {
  /// Issues a certificate for `subjectKey`, signed by `issuer` (nil: self-signed with `subjectKey`).
  ///
  /// Signs with SHA-256 for RSA and EC issuers, and pure EdDSA for Ed25519 issuers.
  public static func issue(
    _ request: Request, subjectKey: PrivateKey, issuer: (certificate: Certificate, key: PrivateKey)?
  ) throws -> Certificate {
    guard let x509 = X509_new() else { throw OpenSSLErrorQueue.error("X509_new") }
    let handle = X509Handle(takingOwnershipOf: x509)
    guard X509_set_version(x509, Int(X509_VERSION_3)) == 1 else { throw OpenSSLErrorQueue.error("X509_set_version") }
    try setSerial(x509, request: request, subjectKey: subjectKey)
    let subjectName = try CertificateNameBuilder.name(
      commonName: request.commonName, organization: request.organization)
    defer { X509_NAME_free(subjectName) }
    guard X509_set_subject_name(x509, subjectName) == 1 else { throw OpenSSLErrorQueue.error("X509_set_subject_name") }
    let issuerHandle = try issuer.map { try X509Handle.fullyDecode($0.certificate.der) }
    // Raw pointers of both handles are used below: keep the owners alive to the end of the function.
    defer { withExtendedLifetime((handle, issuerHandle)) {} }
    let issuerName = issuerHandle.map { X509_get_subject_name($0.pointer) } ?? subjectName
    guard X509_set_issuer_name(x509, issuerName) == 1 else { throw OpenSSLErrorQueue.error("X509_set_issuer_name") }
    try setTime(x509, request.notBefore, notBefore: true)
    try setTime(x509, request.notAfter, notBefore: false)
    guard X509_set_pubkey(x509, subjectKey.handle.pointer) == 1 else {
      throw OpenSSLErrorQueue.error("X509_set_pubkey")
    }
    try CertificateExtensionWriter.add(
      request, to: x509, issuer: issuerHandle?.pointer ?? x509, subjectKeyAlgorithm: subjectKey.publicKey.algorithm)
    let signingKey = issuer?.key ?? subjectKey
    let digest: OpaquePointer? =
      switch signingKey.publicKey.algorithm {
      case .ed25519, .ed448: nil
      default: EVP_sha256()
      }
    guard X509_sign(x509, signingKey.handle.pointer, digest) > 0 else { throw OpenSSLErrorQueue.error("X509_sign") }
    var der: UnsafeMutablePointer<UInt8>? = nil
    let length = i2d_X509(x509, &der)
    guard length > 0, let der else { throw OpenSSLErrorQueue.error("i2d_X509") }
    defer { certhook_openssl_free(der) }
    return try Certificate(derEncoded: Array(UnsafeBufferPointer(start: der, count: Int(length))))
  }

  private static func setSerial(_ x509: OpaquePointer, request: Request, subjectKey: PrivateKey) throws {
    var bytes = try request.serialNumber ?? derivedSerial(request, subjectKey: subjectKey)
    if bytes.isEmpty { bytes = [0] }
    guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw OpenSSLErrorQueue.error("BN_bin2bn") }
    defer { BN_free(number) }
    guard let serial = BN_to_ASN1_INTEGER(number, nil) else { throw OpenSSLErrorQueue.error("BN_to_ASN1_INTEGER") }
    defer { ASN1_INTEGER_free(serial) }
    guard X509_set_serialNumber(x509, serial) == 1 else { throw OpenSSLErrorQueue.error("X509_set_serialNumber") }
  }

  /// 16 bytes of SHA-256 over the request's identity and the public key, first byte in 0x40...0x7F
  /// (positive, always 32 hex digits), so the same request and key always give the same serial.
  private static func derivedSerial(_ request: Request, subjectKey: PrivateKey) throws -> [UInt8] {
    let identity = [
      request.commonName, request.dnsNames.joined(separator: ","), request.ipAddresses.joined(separator: ","),
      "\(request.notBefore.timeIntervalSince1970)", "\(request.notAfter.timeIntervalSince1970)", "\(request.isCA)",
    ].joined(separator: "|")
    let seed = Array(identity.utf8) + [0] + (try subjectKey.publicKeyDER())
    var bytes = Array(try seed.withUnsafeBytes { try Digests.sha256($0) }.prefix(16))
    bytes[0] = bytes[0] & 0x3F | 0x40
    return bytes
  }

  private static func setTime(_ x509: OpaquePointer, _ date: Date, notBefore: Bool) throws {
    let text = GeneralizedTimeText.format(date)
    guard let time = ASN1_TIME_new() else { throw OpenSSLErrorQueue.error("ASN1_TIME_new") }
    defer { ASN1_TIME_free(time) }
    guard ASN1_TIME_set_string_X509(time, text) == 1 else {
      OpenSSLErrorQueue.clear()
      throw CertificateKitError.invalidRequest(reason: "date \(text) cannot be encoded in a certificate")
    }
    let ok = notBefore ? X509_set1_notBefore(x509, time) : X509_set1_notAfter(x509, time)
    guard ok == 1 else { throw OpenSSLErrorQueue.error("X509_set1_notBefore/notAfter") }
  }
}
