internal import COpenSSL

/// One-shot SHA-1 and SHA-256 digests through OpenSSL, with the algorithms fetched once per process.
enum Digests {
  /// Pre-fetched digest algorithms, shared read-only by all threads (`@unchecked Sendable`: C pointers fetched
  /// once and never mutated, not Swift state a lock would guard).
  private final class Algorithms: @unchecked Sendable {
    let sha1: OpaquePointer?
    let sha256: OpaquePointer?
    init() {
      sha1 = EVP_MD_fetch(nil, "SHA1", nil)
      sha256 = EVP_MD_fetch(nil, "SHA256", nil)
    }
    deinit {
      EVP_MD_free(sha1)
      EVP_MD_free(sha256)
    }
  }

  private static let algorithms = Algorithms()

  /// SHA-1 of `bytes`, uppercase hex.
  static func sha1Hex(_ bytes: UnsafeRawBufferPointer) throws -> String {
    try digestHex(bytes, algorithm: algorithms.sha1, name: "SHA1")
  }

  /// SHA-256 of `bytes`, uppercase hex.
  static func sha256Hex(_ bytes: UnsafeRawBufferPointer) throws -> String {
    try digestHex(bytes, algorithm: algorithms.sha256, name: "SHA256")
  }

  /// SHA-256 of `bytes`, raw.
  static func sha256(_ bytes: UnsafeRawBufferPointer) throws -> [UInt8] {
    try digest(bytes, algorithm: algorithms.sha256, name: "SHA256") { Array($0) }
  }

  private static func digestHex(_ bytes: UnsafeRawBufferPointer, algorithm: OpaquePointer?, name: String) throws
    -> String
  {
    try digest(bytes, algorithm: algorithm, name: name) { Hex.encode($0) }
  }

  /// Digests `bytes` into a stack buffer and hands the result to `body`.
  private static func digest<T>(
    _ bytes: UnsafeRawBufferPointer, algorithm: OpaquePointer?, name: String, _ body: (UnsafeBufferPointer<UInt8>) -> T
  ) throws -> T {
    guard let algorithm else {
      throw CertificateKitError.openSSL(operation: "EVP_MD_fetch(\(name))", details: OpenSSLErrorQueue.drain())
    }
    return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { output in
      var length: UInt32 = 0
      guard EVP_Digest(bytes.baseAddress, bytes.count, output.baseAddress, &length, algorithm, nil) == 1 else {
        throw OpenSSLErrorQueue.error("EVP_Digest(\(name))")
      }
      return body(UnsafeBufferPointer(rebasing: output[0..<Int(length)]))
    }
  }
}
