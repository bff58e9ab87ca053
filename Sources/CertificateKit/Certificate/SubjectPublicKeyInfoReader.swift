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
      return fullyDecoded(spkiDER, algorithm: .other(algorithmName(nid, algorithmObject)))
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

  /// Algorithms that an older OpenSSL (3.0 has no ML-DSA or ML-KEM) does not name, by dotted OID.
  private static let unnamedAlgorithms: [String: String] = [
    "2.16.840.1.101.3.4.3.17": "ML-DSA-44", "2.16.840.1.101.3.4.3.18": "ML-DSA-65",
    "2.16.840.1.101.3.4.3.19": "ML-DSA-87", "2.16.840.1.101.3.4.4.1": "ML-KEM-512",
    "2.16.840.1.101.3.4.4.2": "ML-KEM-768", "2.16.840.1.101.3.4.4.3": "ML-KEM-1024",
    "2.16.840.1.101.3.4.3.20": "SLH-DSA-SHA2-128s", "2.16.840.1.101.3.4.3.21": "SLH-DSA-SHA2-128f",
    "2.16.840.1.101.3.4.3.22": "SLH-DSA-SHA2-192s", "2.16.840.1.101.3.4.3.23": "SLH-DSA-SHA2-192f",
    "2.16.840.1.101.3.4.3.24": "SLH-DSA-SHA2-256s", "2.16.840.1.101.3.4.3.25": "SLH-DSA-SHA2-256f",
  ]

  /// OpenSSL's short name for a known algorithm (`gost2012_256`, `ML-DSA-44` on OpenSSL 3.5), else the name
  /// from `unnamedAlgorithms`, else the dotted OID: never `UNDEF`.
  static func algorithmName(_ nid: Int32, _ object: OpaquePointer) -> String {
    if nid != NID_undef, let shortName = OBJ_nid2sn(nid) { return String(cString: shortName) }
    let oid = ObjectNames.text(object, numeric: true)
    return unnamedAlgorithms[oid] ?? oid
  }

  /// `P-256` style NIST names where they exist, else OpenSSL's short name (`secp256k1`).
  static func curveName(_ nid: Int32) -> String {
    if let nist = EC_curve_nid2nist(nid) { return String(cString: nist) }
    if let short = OBJ_nid2sn(nid) { return String(cString: short) }
    return "unknown"
  }

  /// Bit length of the modulus in an RSAPublicKey (`SEQUENCE { INTEGER n, INTEGER e }`), counted on the
  /// INTEGER's content bytes as OpenSSL's RSA decoder reads them: a modulus encoded without its leading zero
  /// (a negative INTEGER) still has all its bits (1024, not 1023).
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
    var integerLength = 0
    let integerInfo = ASN1_get_object(&integerCursor, &integerLength, &tag, &tagClass, contentLength)
    guard integerInfo == 0, tag == V_ASN1_INTEGER, tagClass == V_ASN1_UNIVERSAL, integerLength > 0,
      let content = integerCursor
    else {
      OpenSSLErrorQueue.clear()
      return nil
    }
    let magnitude = UnsafeBufferPointer(start: content, count: integerLength).drop { $0 == 0 }
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
