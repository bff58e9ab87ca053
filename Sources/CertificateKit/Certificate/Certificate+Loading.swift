extension Certificate {
  /// Parses every certificate in a PEM bundle or DER file.
  ///
  /// PEM: blocks labelled `CERTIFICATE`, `X509 CERTIFICATE` or `TRUSTED CERTIFICATE` are read in order;
  /// text around them, CRLF line ends and other blocks (keys, CSRs) are ignored. Input without any PEM
  /// marker is read as one or more concatenated DER certificates.
  ///
  /// `tolerant`: a certificate that OpenSSL loads but whose subjectAltName, extendedKeyUsage, keyUsage or
  /// basicConstraints extension is duplicated or malformed is returned with the problems in
  /// `malformedExtensions` (a monitoring scan must still see its expiry); strict parsing throws.
  /// - Throws: `CertificateKitError` naming `source` when no certificate is found or a certificate
  ///   block is malformed.
  public static func parseAll(_ bytes: [UInt8], source: String, tolerant: Bool = false) throws -> [Certificate] {
    let isPEM = bytes.withUnsafeBufferPointer { PEMScanner.containsPEM($0) }
    if isPEM {
      return try bytes.withUnsafeBufferPointer { try parsePEM($0, source: source, tolerant: tolerant) }
    }
    return try parseDER(bytes, source: source, tolerant: tolerant)
  }

  private static func parsePEM(_ buffer: UnsafeBufferPointer<UInt8>, source: String, tolerant: Bool) throws
    -> [Certificate]
  {
    var certificates: [Certificate] = []
    for block in PEMScanner.blocks(in: buffer) where block.isCertificate {
      let index = certificates.count
      guard block.isTerminated else {
        throw CertificateKitError.malformedCertificate(
          source: source, index: index, reason: "missing -----END \(block.label)----- line")
      }
      guard block.headers.isEmpty else {
        throw CertificateKitError.malformedCertificate(source: source, index: index, reason: "unexpected PEM headers")
      }
      guard let der = Base64Decoder.decode(UnsafeBufferPointer(rebasing: buffer[block.body])), !der.isEmpty else {
        throw CertificateKitError.malformedCertificate(
          source: source, index: index, reason: "invalid base64 in PEM block")
      }
      let parsed = try parsePrefix(der, from: 0, source: source, index: index, tolerant: tolerant)
      // TRUSTED CERTIFICATE blocks carry OpenSSL's trust settings after the certificate.
      if parsed.consumed != der.count, block.label != "TRUSTED CERTIFICATE" {
        throw CertificateKitError.malformedCertificate(
          source: source, index: index, reason: "\(der.count - parsed.consumed) bytes after the certificate")
      }
      certificates.append(parsed.certificate)
    }
    guard !certificates.isEmpty else { throw CertificateKitError.noCertificate(source: source) }
    return certificates
  }

  private static func parseDER(_ bytes: [UInt8], source: String, tolerant: Bool) throws -> [Certificate] {
    guard DERShape.mayBeCertificate(bytes) else { throw CertificateKitError.noCertificate(source: source) }
    var certificates: [Certificate] = []
    var offset = 0
    while offset < bytes.count {
      let parsed = try parsePrefix(bytes, from: offset, source: source, index: certificates.count, tolerant: tolerant)
      certificates.append(parsed.certificate)
      offset += parsed.consumed
    }
    return certificates
  }
}
