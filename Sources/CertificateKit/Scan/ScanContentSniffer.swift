/// Decides, before parsing, whether a walked file is worth parsing as certificates.
///
/// A file that holds a PEM certificate block, or starts like a DER structure, is parsed; a PEM file with
/// only keys, requests or parameters, and anything else, is not a certificate file.
enum ScanContentSniffer {
  enum Kind {
    /// Holds a `CERTIFICATE`, `X509 CERTIFICATE` or `TRUSTED CERTIFICATE` PEM block: errors count.
    case pemCertificates
    /// PEM without certificate blocks (keys, CSRs, CRLs, parameters).
    case pemOther
    /// Starts with a DER SEQUENCE: may be a DER certificate or a DER key.
    case maybeDER
    /// Text or binary data that is not a certificate.
    case other
  }

  private static let begin = Array("-----BEGIN ".utf8)
  private static let certificateLabelEnd = Array("CERTIFICATE-----".utf8)

  static func classify(_ bytes: [UInt8]) -> Kind {
    bytes.withUnsafeBufferPointer { buffer in
      guard let first = find(begin, in: buffer, from: 0) else {
        return buffer.count > 1 && buffer[0] == 0x30 && buffer[1] >= 0x80 ? .maybeDER : .other
      }
      var start = first
      while let found = find(begin, in: buffer, from: start) {
        // The label runs to the next "-----": a certificate label ends with "CERTIFICATE-----".
        var end = found + begin.count
        while end < buffer.count && buffer[end] != 0x2D && buffer[end] != 0x0A { end += 1 }
        if matches(certificateLabelEnd, in: buffer, at: end - "CERTIFICATE".utf8.count) {
          return .pemCertificates
        }
        start = end
      }
      return .pemOther
    }
  }

  private static func find(_ needle: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard let firstByte = needle.first, buffer.count >= needle.count else { return nil }
    var index = start
    let last = buffer.count - needle.count
    while index <= last {
      if buffer[index] == firstByte && matches(needle, in: buffer, at: index) { return index }
      index += 1
    }
    return nil
  }

  private static func matches(_ needle: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    guard offset >= 0, offset + needle.count <= buffer.count else { return false }
    for (position, byte) in needle.enumerated() where buffer[offset + position] != byte { return false }
    return true
  }
}
