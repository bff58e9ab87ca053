internal import COpenSSL

/// Reads and clears the calling thread's OpenSSL error queue.
enum OpenSSLErrorQueue {
  /// Drains the queue into one lowercase line of `library::reason` texts (no data that could hold secrets).
  static func drain() -> String {
    var parts: [String] = []
    var buffer = [CChar](repeating: 0, count: 256)
    while true {
      let code = ERR_get_error()
      if code == 0 { break }
      if parts.count >= 8 { continue }
      ERR_error_string_n(code, &buffer, buffer.count)
      let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
      let text = String(decoding: bytes, as: UTF8.self)
      let part = Self.shorten(text)
      if !parts.contains(part) { parts.append(part) }
    }
    return parts.joined(separator: "; ").lowercased()
  }

  /// Clears the queue without reading it.
  static func clear() {
    ERR_clear_error()
  }

  /// Builds an `openSSL` error for `operation` with the drained queue.
  static func error(_ operation: String) -> CertificateKitError {
    .openSSL(operation: operation, details: drain())
  }

  /// Turns `error:1E08010C:DECODER routines::unsupported` into `DECODER routines::unsupported`.
  private static func shorten(_ text: String) -> String {
    let pieces = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
    guard pieces.count == 3, pieces[0] == "error" else { return text }
    return String(pieces[2])
  }
}
