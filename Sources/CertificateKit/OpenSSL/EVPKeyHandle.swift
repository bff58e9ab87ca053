internal import COpenSSL

/// Owns one OpenSSL `EVP_PKEY` and frees it in `deinit`.
///
/// `EVP_PKEY` is reference counted and safe for concurrent read-only use (signing, comparing).
/// `@unchecked Sendable` for that reason: it holds a C pointer the compiler cannot check, not mutable Swift state.
final class EVPKeyHandle: @unchecked Sendable {
  /// The owned pointer.
  let pointer: OpaquePointer

  /// Takes ownership of `pointer`; it is freed with `EVP_PKEY_free`.
  init(takingOwnershipOf pointer: OpaquePointer) {
    self.pointer = pointer
  }

  deinit { EVP_PKEY_free(pointer) }
}
