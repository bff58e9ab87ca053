internal import COpenSSL
import Foundation

/// SHA-256, HMAC-SHA256 and HMAC-SHA1 helpers for request signing, backed by OpenSSL.
///
/// These digests cannot fail on valid input; if OpenSSL itself fails (no default provider,
/// out of memory) the process stops with the drained OpenSSL error queue, never with key material.
public enum Hashing {
  /// Lowercase hex SHA-256 of `b`.
  public static func sha256Hex(_ b: [UInt8]) -> String {
    hex(sha256(b))
  }

  /// Raw SHA-256 digest of `b`.
  public static func sha256(_ b: [UInt8]) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var size: UInt32 = 0
    let rc = b.withUnsafeBytes { input in
      digest.withUnsafeMutableBufferPointer { out in
        EVP_Digest(input.baseAddress, input.count, out.baseAddress, &size, EVP_sha256(), nil)
      }
    }
    guard rc == 1 else { opensslFailure("EVP_Digest(sha256)") }
    return Array(digest.prefix(Int(size)))
  }

  /// Lowercase hex HMAC-SHA256 of `data` under `key`.
  public static func hmacSHA256Hex(key: [UInt8], data: [UInt8]) -> String {
    hex(hmac(EVP_sha256(), key: key, data: data, name: "sha256"))
  }

  /// Raw HMAC-SHA256 of `data` under `key` (webhook signatures base64 it).
  public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
    hmac(EVP_sha256(), key: key, data: data, name: "sha256")
  }

  /// Base64 HMAC-SHA1 of `data` under `key` (the V1 RPC signature).
  public static func hmacSHA1Base64(key: [UInt8], data: [UInt8]) -> String {
    Data(hmac(EVP_sha1(), key: key, data: data, name: "sha1")).base64EncodedString()
  }

  /// Lowercase hex of `bytes`.
  public static func hex(_ bytes: [UInt8]) -> String {
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func hmac(_ md: OpaquePointer?, key: [UInt8], data: [UInt8], name: String) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var size: UInt32 = 0
    // An empty key must still be a valid pointer for OpenSSL.
    let keyBytes = key.isEmpty ? [UInt8(0)] : key
    let keyLength = Int32(key.count)
    let result = keyBytes.withUnsafeBytes { k in
      data.withUnsafeBytes { d in
        digest.withUnsafeMutableBufferPointer { out in
          HMAC(md, k.baseAddress, keyLength, d.baseAddress?.assumingMemoryBound(to: UInt8.self), d.count, out.baseAddress, &size)
        }
      }
    }
    guard result != nil else { opensslFailure("HMAC(\(name))") }
    return Array(digest.prefix(Int(size)))
  }

  private static func opensslFailure(_ call: String) -> Never {
    var messages: [String] = []
    while true {
      let code = ERR_get_error()
      if code == 0 { break }
      var buffer = [CChar](repeating: 0, count: 256)
      ERR_error_string_n(code, &buffer, buffer.count)
      messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    fatalError("openssl \(call) failed: \(messages.isEmpty ? "no error queued" : messages.joined(separator: "; "))")
  }
}
