internal import COpenSSL

/// A private key loaded through OpenSSL. Its descriptions never reveal key material.
public struct PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
  let handle: EVPKeyHandle

  /// The public half's algorithm, size and curve.
  public let publicKey: PublicKeyDescription

  init(handle: EVPKeyHandle) {
    self.handle = handle
    self.publicKey = PrivateKey.describe(handle.pointer)
  }

  /// Loads the first private key in PEM text (or DER): PKCS#8, PKCS#1 RSA or SEC1 EC.
  ///
  /// Certificates and other blocks in the same file are skipped (lego's `.pem`).
  /// - Throws: `CertificateKitError.encryptedPrivateKey` for encrypted keys, `.noPrivateKey` when
  ///   there is none, `.malformedPrivateKey` when it cannot be decoded. Messages name `source` only.
  public init(pem: [UInt8], source: String) throws {
    self = try PrivateKeyLoader.load(pem, source: source)
  }

  /// Generates a new key.
  public static func generate(_ kind: KeyKind) throws -> PrivateKey {
    try PrivateKeyGenerator.generate(kind)
  }

  /// Whether this key is the private half of the certificate's public key.
  ///
  /// Compares the public keys with OpenSSL (`EVP_PKEY_eq`), so RSA, EC and Ed25519 all work.
  public func matches(_ certificate: Certificate) -> Bool {
    guard let x509 = try? X509Handle.fullyDecode(certificate.der) else {
      OpenSSLErrorQueue.clear()
      return false
    }
    defer { OpenSSLErrorQueue.clear() }
    return withExtendedLifetime(x509) {
      // The certificate's key is borrowed from `x509`, which must outlive the comparison.
      guard let certificateKey = X509_get0_pubkey(x509.pointer) else { return false }
      return EVP_PKEY_eq(certificateKey, handle.pointer) == 1
    }
  }

  /// The key as an unencrypted PKCS#8 PEM block. Secret: never log or print it.
  public func pkcs8PEM() throws -> String {
    try MemoryBIO.string("PEM_write_bio_PrivateKey") { bio in
      PEM_write_bio_PrivateKey(bio, handle.pointer, nil, nil, 0, nil, nil) == 1
    }
  }

  /// `PrivateKey(EC P-256, redacted)`.
  public var description: String { "PrivateKey(\(publicKey), redacted)" }

  /// Same as `description`: key material is never shown.
  public var debugDescription: String { description }

  static func describe(_ key: OpaquePointer) -> PublicKeyDescription {
    let bits = Int(EVP_PKEY_get_bits(key))
    switch EVP_PKEY_get_base_id(key) {
    case NID_rsaEncryption, NID_rsassaPss:
      return PublicKeyDescription(algorithm: .rsa, bits: bits, curve: nil)
    case NID_X9_62_id_ecPublicKey:
      var buffer = [CChar](repeating: 0, count: 80)
      var length = 0
      var curve: String? = nil
      if EVP_PKEY_get_group_name(key, &buffer, buffer.count, &length) == 1 {
        let name = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let nid = OBJ_sn2nid(name)
        curve = nid != NID_undef ? SubjectPublicKeyInfoReader.curveName(nid) : name
      }
      OpenSSLErrorQueue.clear()
      return PublicKeyDescription(algorithm: .ec, bits: bits, curve: curve)
    case NID_ED25519:
      return PublicKeyDescription(algorithm: .ed25519, bits: bits, curve: nil)
    case NID_ED448:
      return PublicKeyDescription(algorithm: .ed448, bits: bits, curve: nil)
    case NID_dsa:
      return PublicKeyDescription(algorithm: .dsa, bits: bits, curve: nil)
    default:
      let name = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "unknown"
      return PublicKeyDescription(algorithm: .other(name), bits: bits, curve: nil)
    }
  }
}

extension PrivateKey {
  /// The DER SubjectPublicKeyInfo of the public half.
  func publicKeyDER() throws -> [UInt8] {
    var der: UnsafeMutablePointer<UInt8>? = nil
    let length = i2d_PUBKEY(handle.pointer, &der)
    guard length > 0, let der else { throw OpenSSLErrorQueue.error("i2d_PUBKEY") }
    defer { certhook_openssl_free(der) }
    return Array(UnsafeBufferPointer(start: der, count: Int(length)))
  }
}
