internal import COpenSSL

/// Adds the X.509 v3 extensions of a `CertificateFactory.Request` with OpenSSL's config syntax.
enum CertificateExtensionWriter {
  static func add(
    _ request: CertificateFactory.Request, to x509: OpaquePointer, issuer: OpaquePointer,
    subjectKeyAlgorithm: KeyAlgorithm
  ) throws {
    var context = X509V3_CTX()
    X509V3_set_ctx(&context, issuer, x509, nil, nil, 0)
    var constraints = request.isCA ? "critical,CA:TRUE" : "critical,CA:FALSE"
    if request.isCA, let pathLength = request.pathLength { constraints += ",pathlen:\(pathLength)" }
    try add(NID_basic_constraints, constraints, to: x509, context: &context)
    let usage = request.keyUsage ?? defaultKeyUsage(isCA: request.isCA, algorithm: subjectKeyAlgorithm)
    if !usage.isEmpty {
      try add(
        NID_key_usage, "critical," + usage.names.map(configName).joined(separator: ","), to: x509, context: &context)
    }
    if let usages = request.extendedKeyUsages {
      guard !usages.isEmpty else { throw CertificateKitError.invalidRequest(reason: "empty extendedKeyUsage list") }
      try add(NID_ext_key_usage, usages.joined(separator: ","), to: x509, context: &context)
    }
    var names: [String] = []
    names += try request.dnsNames.map { try plain($0, "dns name") }.map { "DNS:" + $0 }
    names += try request.ipAddresses.map { try plain($0, "ip address") }.map { "IP:" + $0 }
    names += try request.emailAddresses.map { try plain($0, "email") }.map { "email:" + $0 }
    names += try request.uris.map { try plain($0, "uri") }.map { "URI:" + $0 }
    if !names.isEmpty {
      try add(NID_subject_alt_name, names.joined(separator: ","), to: x509, context: &context)
    }
    try add(NID_subject_key_identifier, "hash", to: x509, context: &context)
    if issuer != x509 {
      try add(NID_authority_key_identifier, "keyid:always", to: x509, context: &context)
    }
  }

  private static func defaultKeyUsage(isCA: Bool, algorithm: KeyAlgorithm) -> KeyUsage {
    if isCA { return [.keyCertSign, .cRLSign, .digitalSignature] }
    return algorithm == .rsa ? [.digitalSignature, .keyEncipherment] : [.digitalSignature]
  }

  /// OpenSSL's config names for key usage bits.
  private static func configName(_ name: String) -> String {
    name == "contentCommitment" ? "nonRepudiation" : name
  }

  /// Rejects values that would break OpenSSL's comma-separated config syntax.
  private static func plain(_ value: String, _ what: String) throws -> String {
    guard !value.isEmpty, !value.contains(","), !value.contains("\n") else {
      throw CertificateKitError.invalidRequest(reason: "\(what) '\(value)' cannot be encoded")
    }
    return value
  }

  private static func add(_ nid: Int32, _ value: String, to x509: OpaquePointer, context: inout X509V3_CTX) throws {
    guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
      throw CertificateKitError.invalidRequest(reason: "extension '\(value)' rejected: \(OpenSSLErrorQueue.drain())")
    }
    defer { X509_EXTENSION_free(ext) }
    guard X509_add_ext(x509, ext, -1) == 1 else { throw OpenSSLErrorQueue.error("X509_add_ext") }
  }
}
