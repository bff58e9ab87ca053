internal import COpenSSL

/// Builds `X509_NAME` values for issued certificates.
enum CertificateNameBuilder {
  /// A new name `O=organization, CN=commonName`; the caller frees it with `X509_NAME_free`.
  static func name(commonName: String, organization: String?) throws -> OpaquePointer {
    guard let name = X509_NAME_new() else { throw OpenSSLErrorQueue.error("X509_NAME_new") }
    var entries: [(String, String)] = []
    if let organization { entries.append(("O", organization)) }
    entries.append(("CN", commonName))
    for (field, value) in entries {
      let bytes = Array(value.utf8)
      guard X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1 else {
        X509_NAME_free(name)
        throw CertificateKitError.invalidRequest(
          reason: "\(field) '\(value)' is not allowed: \(OpenSSLErrorQueue.drain())")
      }
    }
    return name
  }
}
