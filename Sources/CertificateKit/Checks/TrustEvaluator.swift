internal import COpenSSL
import Foundation

/// Verifies a served chain (leaf first, then what the server sent) up to a trusted root with
/// OpenSSL's path building, at a given time and for TLS server use; host names are not checked here
/// (see `Certificate.covers(hostname:)`).
public struct TrustEvaluator: Sendable {
  /// Where the trusted roots come from.
  public enum Roots: Sendable, Equatable {
    /// OpenSSL's default locations (the system store).
    case system
    /// A PEM file of trusted certificates (`--ca-file`).
    case file(String)
  }

  /// The outcome of one verification.
  public enum Verdict: Sendable, Equatable {
    /// The chain builds to a trusted root and every certificate is valid at `now`.
    case trusted
    /// It does not; the reason is OpenSSL's (e.g. `unable to get local issuer certificate`).
    case untrusted(String)
  }

  /// The roots.
  public let roots: Roots

  /// Creates an evaluator.
  public init(roots: Roots) {
    self.roots = roots
  }

  /// Throws when the roots cannot be loaded (a missing or non-PEM `--ca-file`), naming the file.
  public func checkRoots() throws {
    let store = try makeStore()
    X509_STORE_free(store)
  }

  /// Verifies `chain` (leaf first) at `now`.
  public func verify(_ chain: [Certificate], now: Date) -> Verdict {
    guard !chain.isEmpty else { return .untrusted("no certificate was presented") }
    let handles: [X509Handle]
    do {
      handles = try chain.map { try X509Handle.fullyDecode($0.der) }
    } catch {
      return .untrusted("\(error)")
    }
    let store: OpaquePointer
    do {
      store = try makeStore()
    } catch {
      return .untrusted("\(error)")
    }
    defer { X509_STORE_free(store) }
    guard let context = X509_STORE_CTX_new() else { return .untrusted("openssl X509_STORE_CTX_new failed") }
    defer { X509_STORE_CTX_free(context) }
    guard let untrusted = OPENSSL_sk_new_null() else { return .untrusted("openssl sk_new_null failed") }
    defer { OPENSSL_sk_free(untrusted) }
    for handle in handles.dropFirst() {
      guard OPENSSL_sk_push(untrusted, UnsafeRawPointer(handle.pointer)) > 0 else {
        return .untrusted("openssl sk_push failed")
      }
    }
    return withExtendedLifetime(handles) {
      guard X509_STORE_CTX_init(context, store, handles[0].pointer, untrusted) == 1 else {
        return .untrusted("openssl X509_STORE_CTX_init failed: \(OpenSSLErrorQueue.drain())")
      }
      X509_STORE_CTX_set_time(context, 0, time_t(now.timeIntervalSince1970.rounded(.down)))
      _ = X509_STORE_CTX_set_purpose(context, X509_PURPOSE_SSL_SERVER)
      let result = X509_verify_cert(context)
      defer { OpenSSLErrorQueue.clear() }
      if result == 1 { return .trusted }
      let code = X509_STORE_CTX_get_error(context)
      let text = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "verification failed"
      return .untrusted(text)
    }
  }

  private func makeStore() throws -> OpaquePointer {
    guard let store = X509_STORE_new() else { throw OpenSSLErrorQueue.error("X509_STORE_new") }
    switch roots {
    case .system:
      guard X509_STORE_set_default_paths(store) == 1 else {
        X509_STORE_free(store)
        throw OpenSSLErrorQueue.error("X509_STORE_set_default_paths")
      }
    case .file(let path):
      let certificates: [Certificate]
      do {
        certificates = try Certificate.parseAll(try CertificateBundle.readFile(path), source: path)
      } catch {
        X509_STORE_free(store)
        throw error
      }
      for certificate in certificates {
        do {
          let handle = try X509Handle.fullyDecode(certificate.der)
          guard X509_STORE_add_cert(store, handle.pointer) == 1 else {
            throw OpenSSLErrorQueue.error("X509_STORE_add_cert")
          }
        } catch {
          X509_STORE_free(store)
          throw error
        }
      }
    }
    OpenSSLErrorQueue.clear()
    return store
  }
}
