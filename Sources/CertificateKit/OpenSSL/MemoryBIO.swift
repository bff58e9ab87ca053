internal import COpenSSL

/// Helpers for OpenSSL memory BIOs; each BIO is freed before returning.
enum MemoryBIO {
  /// Runs `body` with a fresh writable memory BIO and returns what was written to it as a string.
  static func string(_ operation: String, _ body: (OpaquePointer) -> Bool) throws -> String {
    guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLErrorQueue.error("BIO_new") }
    defer { BIO_free(bio) }
    guard body(bio) else { throw OpenSSLErrorQueue.error(operation) }
    var data: UnsafeMutablePointer<CChar>? = nil
    let length = certhook_bio_get_mem_data(bio, &data)
    guard length > 0, let data else { return "" }
    return data.withMemoryRebound(to: UInt8.self, capacity: length) {
      String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }
  }
}
