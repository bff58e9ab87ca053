internal import COpenSSL

/// Owns one OpenSSL `X509` object and frees it in `deinit`.
final class X509Handle {
  /// The owned pointer.
  let pointer: OpaquePointer

  /// Takes ownership of `pointer`; it is freed with `X509_free`.
  init(takingOwnershipOf pointer: OpaquePointer) {
    self.pointer = pointer
  }

  deinit { X509_free(pointer) }

  /// Decodes one certificate from the start of `bytes`.
  ///
  /// - Parameters:
  ///   - fast: decode in `ParsingContext` (public key left undecoded) instead of the default context.
  /// - Returns: the handle and the number of bytes the certificate took, or nil with the error queue filled.
  static func decode(_ bytes: UnsafeRawBufferPointer, fast: Bool) -> (X509Handle, Int)? {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return nil }
    var cursor: UnsafePointer<UInt8>? = UnsafePointer(base)
    let context = fast ? ParsingContext.shared.libraryContext : nil
    let value = ASN1_item_d2i_ex(nil, &cursor, bytes.count, X509_it(), context, nil)
    guard let value else { return nil }
    let handle = X509Handle(takingOwnershipOf: value)
    guard let cursor else { return nil }
    return (handle, cursor - UnsafePointer(base))
  }

  /// Fully decodes `der` (including the public key) in the default context.
  static func fullyDecode(_ der: [UInt8]) throws -> X509Handle {
    let result = der.withUnsafeBytes { decode($0, fast: false) }
    guard let (handle, _) = result else { throw OpenSSLErrorQueue.error("d2i_X509") }
    return handle
  }
}
