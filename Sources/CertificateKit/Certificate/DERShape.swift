internal import COpenSSL

/// Cheap structural look at DER input with OpenSSL's `ASN1_get_object`, before a full decode.
enum DERShape {
  /// True when `bytes` starts like a certificate: `SEQUENCE { SEQUENCE { [0] version | INTEGER serial ...`.
  ///
  /// DER keys (`SEQUENCE { INTEGER ...`), public keys (`SEQUENCE { SEQUENCE { OID ...`) and parameters are
  /// not certificates. Truncated certificates still pass, so their decoding error is reported.
  static func mayBeCertificate(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress, buffer.count >= 4 else { return false }
      defer { OpenSSLErrorQueue.clear() }
      var cursor: UnsafePointer<UInt8>? = base
      for _ in 0..<2 {
        guard let start = cursor, start - base < buffer.count else { return false }
        var length = 0
        var tag: Int32 = 0
        var tagClass: Int32 = 0
        let info = ASN1_get_object(&cursor, &length, &tag, &tagClass, buffer.count - (start - base))
        // 0x80 flags an error; with the constructed bit it may just mean "longer than the input" (truncated).
        guard info == V_ASN1_CONSTRUCTED || info == 0x80 | V_ASN1_CONSTRUCTED, tag == V_ASN1_SEQUENCE,
          tagClass == V_ASN1_UNIVERSAL
        else { return false }
      }
      guard let first = cursor, first - base < buffer.count else { return false }
      return first.pointee == 0xA0 || first.pointee == 0x02
    }
  }
}
