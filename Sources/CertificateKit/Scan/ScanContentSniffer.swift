#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Decides, before parsing, whether a walked file is worth parsing as certificates.
///
/// A file that holds a PEM certificate block, or starts like a DER structure, is parsed; a PEM file with
/// only keys, requests or parameters, and anything else, is not a certificate file. A certificate block
/// counts only as PEM writes it: its `-----BEGIN ...CERTIFICATE-----` line starts at the beginning of a line
/// and ends there, in a file without NUL bytes. Binaries, XML, source code and documentation that merely
/// quote the marker (a scan of `/usr` finds dozens) are not certificate files.
enum ScanContentSniffer {
  enum Kind {
    /// Holds a `CERTIFICATE`, `X509 CERTIFICATE` or `TRUSTED CERTIFICATE` PEM block: errors count.
    case pemCertificates
    /// PEM without certificate blocks (keys, CSRs, CRLs, parameters), or text that only quotes the marker.
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
      if let base = buffer.baseAddress, memchr(base, 0, buffer.count) != nil { return .other }
      var start = first
      while let found = find(begin, in: buffer, from: start) {
        // The label runs to the next "-----": a certificate label ends with "CERTIFICATE-----".
        var end = found + begin.count
        while end < buffer.count && buffer[end] != 0x2D && buffer[end] != 0x0A { end += 1 }
        if matches(certificateLabelEnd, in: buffer, at: end - "CERTIFICATE".utf8.count),
          startsLine(buffer, at: found), endsLine(buffer, at: end + 5)
        {
          return .pemCertificates
        }
        start = end
      }
      return .pemOther
    }
  }

  /// Whether `offset` starts a line: the start of the input (after a UTF-8 byte order mark) or after a LF.
  private static func startsLine(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    if offset == 0 || buffer[offset - 1] == 0x0A { return true }
    return offset == 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
  }

  /// Whether only spaces, tabs or a CR stand between `offset` and the end of the line (or of the input).
  private static func endsLine(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
    var index = offset
    while index < buffer.count {
      switch buffer[index] {
      case 0x0A: return true
      case 0x20, 0x09, 0x0D: index += 1
      default: return false
      }
    }
    return true
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
