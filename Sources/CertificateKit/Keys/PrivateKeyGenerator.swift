internal import COpenSSL

/// Creates fresh keys with OpenSSL's default provider.
enum PrivateKeyGenerator {
  static func generate(_ kind: KeyKind) throws -> PrivateKey {
    let algorithm: String
    switch kind {
    case .rsa(let bits):
      guard (512...16_384).contains(bits) else {
        throw CertificateKitError.invalidRequest(reason: "rsa key size \(bits) out of range")
      }
      algorithm = "RSA"
    case .ecP256, .ecP384: algorithm = "EC"
    case .ed25519: algorithm = "ED25519"
    }
    guard let context = EVP_PKEY_CTX_new_from_name(nil, algorithm, nil) else {
      throw OpenSSLErrorQueue.error("EVP_PKEY_CTX_new_from_name(\(algorithm))")
    }
    defer { EVP_PKEY_CTX_free(context) }
    guard EVP_PKEY_keygen_init(context) == 1 else { throw OpenSSLErrorQueue.error("EVP_PKEY_keygen_init") }
    switch kind {
    case .rsa(let bits):
      guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1 else {
        throw OpenSSLErrorQueue.error("EVP_PKEY_CTX_set_rsa_keygen_bits")
      }
    case .ecP256, .ecP384:
      let group = kind == .ecP256 ? "P-256" : "P-384"
      guard EVP_PKEY_CTX_set_group_name(context, group) == 1 else {
        throw OpenSSLErrorQueue.error("EVP_PKEY_CTX_set_group_name")
      }
    case .ed25519:
      break
    }
    var key: OpaquePointer? = nil
    guard EVP_PKEY_generate(context, &key) == 1, let key else { throw OpenSSLErrorQueue.error("EVP_PKEY_generate") }
    return PrivateKey(handle: EVPKeyHandle(takingOwnershipOf: key))
  }
}
