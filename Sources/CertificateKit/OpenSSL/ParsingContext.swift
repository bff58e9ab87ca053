internal import COpenSSL

/// A dedicated OpenSSL library context with only the `null` provider loaded.
///
/// Decoding a certificate in this context skips OpenSSL 3's provider-based decoding of the
/// SubjectPublicKeyInfo (about 70% of `d2i_X509`'s time): the key stays undecoded, all other
/// fields are parsed as usual. Key type and size are then read from the SPKI algorithm and key
/// bits with OpenSSL's ASN.1 primitives, and signature checks re-parse in the default context.
/// `@unchecked Sendable` because it holds an `OSSL_LIB_CTX` pointer that is only read after creation (OpenSSL
/// library contexts are thread-safe), not mutable Swift state a lock would guard.
final class ParsingContext: @unchecked Sendable {
  /// The shared context (created once, thread-safe to use from any thread).
  static let shared = ParsingContext()

  /// The library context, or nil when it could not be set up (then the default context is used).
  let libraryContext: OpaquePointer?
  private let nullProvider: OpaquePointer?

  private init() {
    let context = OSSL_LIB_CTX_new()
    var provider: OpaquePointer? = nil
    if let context {
      provider = OSSL_PROVIDER_load(context, "null")
    }
    if context != nil, provider == nil {
      OSSL_LIB_CTX_free(context)
      libraryContext = nil
    } else {
      libraryContext = context
    }
    nullProvider = provider
    ERR_clear_error()
  }

  deinit {
    if let nullProvider { OSSL_PROVIDER_unload(nullProvider) }
    if let libraryContext { OSSL_LIB_CTX_free(libraryContext) }
  }
}
