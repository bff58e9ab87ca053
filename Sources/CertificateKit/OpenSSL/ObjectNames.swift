internal import COpenSSL

/// Names for ASN.1 object identifiers.
enum ObjectNames {
  /// OpenSSL's long name (`numeric: false`) or always the dotted OID (`numeric: true`).
  static func text(_ object: OpaquePointer, numeric: Bool) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, numeric ? 1 : 0)
    guard length > 0 else { return "unknown" }
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The certhook name of an extended key usage: `serverAuth`, `clientAuth`, ..., else the dotted OID.
  static func extendedKeyUsage(_ object: OpaquePointer) -> String {
    switch OBJ_obj2nid(object) {
    case NID_server_auth: return "serverAuth"
    case NID_client_auth: return "clientAuth"
    case NID_code_sign: return "codeSigning"
    case NID_email_protect: return "emailProtection"
    case NID_time_stamp: return "timeStamping"
    case NID_OCSP_sign: return "OCSPSigning"
    case NID_anyExtendedKeyUsage: return "anyExtendedKeyUsage"
    default: return text(object, numeric: true)
    }
  }
}
