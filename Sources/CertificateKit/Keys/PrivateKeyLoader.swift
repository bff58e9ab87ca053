internal import COpenSSL

/// Finds and decodes the private key block in PEM or DER input.
enum PrivateKeyLoader {
  private static let plainLabels: Set<String> = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"]
  private static let encryptedLabels: Set<String> = ["ENCRYPTED PRIVATE KEY"]

  static func load(_ bytes: [UInt8], source: String) throws -> PrivateKey {
    try bytes.withUnsafeBufferPointer { buffer in
      guard PEMScanner.containsPEM(buffer) else {
        return try decodeDER(Array(buffer), label: nil, source: source)
      }
      for block in PEMScanner.blocks(in: buffer) {
        if encryptedLabels.contains(block.label) { throw CertificateKitError.encryptedPrivateKey(source: source) }
        guard plainLabels.contains(block.label) else { continue }
        if block.headers.contains(where: { $0.uppercased().contains("ENCRYPTED") }) {
          throw CertificateKitError.encryptedPrivateKey(source: source)
        }
        guard block.isTerminated else {
          throw CertificateKitError.malformedPrivateKey(
            source: source, reason: "missing -----END \(block.label)----- line")
        }
        guard block.headers.isEmpty else {
          throw CertificateKitError.malformedPrivateKey(source: source, reason: "unexpected PEM headers")
        }
        guard let der = Base64Decoder.decode(UnsafeBufferPointer(rebasing: buffer[block.body])), !der.isEmpty else {
          throw CertificateKitError.malformedPrivateKey(
            source: source, reason: "invalid base64 in \(block.label) block")
        }
        return try decodeDER(der, label: block.label, source: source)
      }
      throw CertificateKitError.noPrivateKey(source: source)
    }
  }

  /// Decodes DER for the given PEM label (nil: guess among PKCS#8, PKCS#1 and SEC1).
  private static func decodeDER(_ der: [UInt8], label: String?, source: String) throws -> PrivateKey {
    guard !der.isEmpty else { throw CertificateKitError.noPrivateKey(source: source) }
    let type: Int32
    switch label {
    case "RSA PRIVATE KEY": type = NID_rsaEncryption
    case "EC PRIVATE KEY": type = NID_X9_62_id_ecPublicKey
    case "PRIVATE KEY": type = 0
    default: type = -1
    }
    if label == nil, isEncryptedPKCS8(der) { throw CertificateKitError.encryptedPrivateKey(source: source) }
    let key: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return nil }
      var cursor: UnsafePointer<UInt8>? = base
      switch type {
      case 0:
        guard let info = d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, buffer.count) else { return nil }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        guard cursor == base + buffer.count else { return nil }
        return EVP_PKCS82PKEY(info)
      case -1:
        let key = d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        if let key, cursor != base + buffer.count {
          EVP_PKEY_free(key)
          return nil
        }
        return key
      default:
        let key = d2i_PrivateKey(type, nil, &cursor, buffer.count)
        if let key, cursor != base + buffer.count {
          EVP_PKEY_free(key)
          return nil
        }
        return key
      }
    }
    guard let key else {
      let details = OpenSSLErrorQueue.drain()
      throw CertificateKitError.malformedPrivateKey(
        source: source, reason: details.isEmpty ? "not a private key" : details)
    }
    OpenSSLErrorQueue.clear()
    return PrivateKey(handle: EVPKeyHandle(takingOwnershipOf: key))
  }

  /// Whether DER is a PKCS#8 EncryptedPrivateKeyInfo.
  private static func isEncryptedPKCS8(_ der: [UInt8]) -> Bool {
    der.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return false }
      var cursor: UnsafePointer<UInt8>? = base
      guard let signature = d2i_X509_SIG(nil, &cursor, buffer.count) else {
        OpenSSLErrorQueue.clear()
        return false
      }
      X509_SIG_free(signature)
      return cursor == base + buffer.count
    }
  }
}
