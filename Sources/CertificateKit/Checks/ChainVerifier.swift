internal import COpenSSL

/// Checks "issued by" between certificates with OpenSSL: issuer name equals subject name and the
/// signature verifies with the issuer's public key (a full, normal parse of both certificates).
struct ChainVerifier {
  private let handles: [X509Handle?]

  init(_ certificates: [Certificate]) {
    handles = certificates.map { try? X509Handle.fullyDecode($0.der) }
    OpenSSLErrorQueue.clear()
  }

  /// Whether certificate `subject` is issued by certificate `issuer` (indexes into the chain).
  func isIssued(_ subject: Int, by issuer: Int) -> Bool {
    guard let child = handles[subject], let parent = handles[issuer] else { return false }
    defer { OpenSSLErrorQueue.clear() }
    guard let issuerName = X509_get_issuer_name(child.pointer), let subjectName = X509_get_subject_name(parent.pointer),
      X509_NAME_cmp(issuerName, subjectName) == 0
    else { return false }
    guard let key = X509_get0_pubkey(parent.pointer) else { return false }
    return X509_verify(child.pointer, key) == 1
  }
}
