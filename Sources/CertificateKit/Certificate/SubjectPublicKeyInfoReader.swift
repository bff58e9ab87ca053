internal import COpenSSL

/// Describes a certificate's public key from its SubjectPublicKeyInfo without building an `EVP_PKEY`,
/// and hashes the SPKI DER.
enum SubjectPublicKeyInfoReader {
  /// Curve degrees for the common named curves (avoids building an `EC_GROUP` per certificate).
  private static let curveBits: [Int32: Int] = [
    NID_X9_62_prime256v1: 256, NID_secp384r1: 384, NID_secp521r1: 521, NID_secp224r1: 224,
    NID_X9_62_prime192v1: 192, NID_secp256k1: 256, NID_brainpoolP256r1: 256, NID_brainpoolP384r1: 384,
    NID_brainpoolP512r1: 512,
  ]

  /// The key description and the uppercase hex SHA-256 of the SubjectPublicKeyInfo DER.
  static func read(_ x509: OpaquePointer) throws -> (PublicKeyDescription, String) {
    guard let spki = X509_get_X509_PUBKEY(x509) else {
      throw X509FieldReader.Failure(reason: "missing subject public key info")
    }
    var der: UnsafeMutablePointer<UInt8>? = nil
    let length = i2d_X509_PUBKEY(spki, &der)
    guard length > 0, let der else {
      throw X509FieldReader.Failure(reason: "cannot encode subject public key info: \(OpenSSLErrorQueue.drain())")
    }
    defer { certhook_openssl_free(der) }
    let spkiBytes = UnsafeRawBufferPointer(start: der, count: Int(length))
    let hash = try Digests.sha256Hex(spkiBytes)
    return (try describe(spki, spkiDER: spkiBytes), hash)
  }

  private static func describe(_ spki: OpaquePointer, spkiDER: UnsafeRawBufferPointer) throws -> PublicKeyDescription {
    var algorithmObject: OpaquePointer? = nil
    var keyBytes: UnsafePointer<UInt8>? = nil
    var keyLength: Int32 = 0
    var algorithm: UnsafeMutablePointer<X509_ALGOR>? = nil
    guard X509_PUBKEY_get0_param(&algorithmObject, &keyBytes, &keyLength, &algorithm, spki) == 1,
      let algorithmObject
    else {
      throw X509FieldReader.Failure(reason: "unreadable subject public key info")
    }
    let nid = OBJ_obj2nid(algorithmObject)
    switch nid {
    case NID_rsaEncryption, NID_rsassaPss:
      guard let keyBytes, let bits = rsaModulusBits(keyBytes, Int(keyLength)) else {
        throw X509FieldReader.Failure(reason: "malformed RSA public key")
      }
      return PublicKeyDescription(algorithm: .rsa, bits: bits, curve: nil)
    case NID_X9_62_id_ecPublicKey:
      if let curveNID = namedCurve(algorithm), curveNID != NID_undef {
        let name = curveName(curveNID)
        if let bits = curveBits[curveNID] {
          return PublicKeyDescription(algorithm: .ec, bits: bits, curve: name)
        }
        if let group = EC_GROUP_new_by_curve_name(curveNID) {
          defer { EC_GROUP_free(group) }
          return PublicKeyDescription(algorithm: .ec, bits: Int(EC_GROUP_get_degree(group)), curve: name)
        }
        OpenSSLErrorQueue.clear()
        return PublicKeyDescription(algorithm: .ec, bits: 0, curve: name)
      }
      return fullyDecoded(spkiDER, algorithm: .ec)
    case NID_ED25519:
      return PublicKeyDescription(algorithm: .ed25519, bits: 256, curve: nil)
    case NID_ED448:
      return PublicKeyDescription(algorithm: .ed448, bits: 456, curve: nil)
    case NID_dsa:
      return fullyDecoded(spkiDER, algorithm: .dsa)
    default:
      let shortName = OBJ_nid2sn(nid).map { String(cString: $0) } ?? ObjectNames.text(algorithmObject, numeric: true)
      return fullyDecoded(spkiDER, algorithm: .other(shortName))
    }
  }

  /// The curve NID when the EC parameters are a named curve OID.
  private static func namedCurve(_ algorithm: UnsafeMutablePointer<X509_ALGOR>?) -> Int32? {
    guard let algorithm else { return nil }
    var parameterType: Int32 = 0
    var parameterValue: UnsafeRawPointer? = nil
    X509_ALGOR_get0(nil, &parameterType, &parameterValue, algorithm)
    guard parameterType == V_ASN1_OBJECT, let parameterValue else { return nil }
    return OBJ_obj2nid(OpaquePointer(parameterValue))
  }

  /// `P-256` style NIST names where they exist, else OpenSSL's short name (`secp256k1`).
  static func curveName(_ nid: Int32) -> String {
    if let nist = EC_curve_nid2nist(nid) { return String(cString: nist) }
    if let short = OBJ_nid2sn(nid) { return String(cString: short) }
    return "unknown"
  }

  /// Bit length of the modulus in an RSAPublicKey (`SEQUENCE { INTEGER n, INTEGER e }`).
  private static func rsaModulusBits(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> Int? {
    var cursor: UnsafePointer<UInt8>? = bytes
    var contentLength = 0
    var tag: Int32 = 0
    var tagClass: Int32 = 0
    let info = ASN1_get_object(&cursor, &contentLength, &tag, &tagClass, length)
    guard info & 0x80 == 0, info & V_ASN1_CONSTRUCTED != 0, tag == V_ASN1_SEQUENCE, let start = cursor else {
      OpenSSLErrorQueue.clear()
      return nil
    }
    var integerCursor: UnsafePointer<UInt8>? = start
    guard let modulus = d2i_ASN1_INTEGER(nil, &integerCursor, contentLength) else {
      OpenSSLErrorQueue.clear()
      return nil
    }
    defer { ASN1_INTEGER_free(modulus) }
    let count = Int(ASN1_STRING_length(modulus))
    guard count > 0, let data = ASN1_STRING_get0_data(modulus) else { return nil }
    let magnitude = UnsafeBufferPointer(start: data, count: count).drop { $0 == 0 }
    guard let first = magnitude.first else { return 0 }
    return (magnitude.count - 1) * 8 + (8 - first.leadingZeroBitCount)
  }

  /// Rare key types: decode the key with the default provider to learn its size.
  private static func fullyDecoded(_ spkiDER: UnsafeRawBufferPointer, algorithm: KeyAlgorithm) -> PublicKeyDescription {
    guard let base = spkiDER.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
      return PublicKeyDescription(algorithm: algorithm, bits: 0, curve: nil)
    }
    var cursor: UnsafePointer<UInt8>? = UnsafePointer(base)
    guard let key = d2i_PUBKEY(nil, &cursor, spkiDER.count) else {
      OpenSSLErrorQueue.clear()
      return PublicKeyDescription(algorithm: algorithm, bits: 0, curve: nil)
    }
    defer { EVP_PKEY_free(key) }
    return PublicKeyDescription(algorithm: algorithm, bits: Int(EVP_PKEY_get_bits(key)), curve: nil)
  }
}
