import AsyncHTTPClient
import Foundation
import NIOCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns what the HTTP stack threw into one `AlibabaCloudError` that says where and what: a refused connection
/// (not retried: nobody listens there), a timeout, a request that cannot be built (not retried), a failed
/// certificate verification (not retried), or another network fault (retried). Values of headers never appear.
enum TransportFailure {
  /// The method and `host:port` a request went to.
  struct Target: Sendable, CustomStringConvertible {
    let method: String
    let host: String
    let port: Int
    let scheme: String

    init(method: String, url: URL) {
      self.method = method
      self.scheme = url.scheme?.lowercased() ?? "https"
      self.host = url.host ?? "?"
      self.port = url.port ?? (scheme == "http" ? 80 : 443)
    }

    /// `127.0.0.1:8080`, `[::1]:8080`.
    var hostAndPort: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

    /// `POST http://127.0.0.1:8080`.
    var description: String { "\(method) \(scheme)://\(hostAndPort)" }
  }

  /// The error for `error`, thrown while sending to `target` with the whole-exchange deadline `limit` (the
  /// request timeout: AsyncHTTPClient reports it as `deadlineExceeded`).
  static func classify(_ error: any Error, target: Target, limit: Duration? = nil) -> AlibabaCloudError {
    if let limit, let client = error as? HTTPClientError, client == .deadlineExceeded {
      return timedOut(target: target, limit: limit)
    }
    if let client = error as? HTTPClientError, let reason = unbuildable(client) {
      return AlibabaCloudError(
        kind: .configuration,
        message: "\(target): the request cannot be built (\(reason)); nothing was sent")
    }
    let text = NetworkText.escaped(String(describing: error))
    if isConnectionRefused(error, text: text) {
      let hint =
        EndpointPolicy.isLoopback(host: target.host)
        ? "is the emulator running?" : "check the endpoint URL, the network and any firewall"
      var refused = AlibabaCloudError.transport("cannot connect to \(target.hostAndPort) (connection refused): \(hint)")
      refused.connectionRefused = true
      return refused
    }
    if let reason = certificateVerificationFailure(text) {
      // Not retryable: the next attempt would meet the same certificate.
      return AlibabaCloudError.configuration(
        "\(target): TLS certificate verification failed (\(reason)); the endpoint's certificate is not trusted or "
          + "does not name the host. certhook never skips verification: check the endpoint URL, or add the private CA "
          + "that signed it to the system trust store (update-ca-certificates)")
    }
    if let client = error as? HTTPClientError, client == .deadlineExceeded || client == .readTimeout
      || client == .connectTimeout
    {
      return AlibabaCloudError.transport("\(target): no complete answer in time (\(client))")
    }
    return AlibabaCloudError.transport("\(target) failed: \(text)")
  }

  /// The error when the whole exchange took longer than `limit`.
  static func timedOut(target: Target, limit: Duration) -> AlibabaCloudError {
    let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
    return AlibabaCloudError.transport(
      "\(target): no complete answer within \(String(format: "%g", seconds)) s (the request timeout); gave up on this attempt")
  }

  /// Why the request could not even be built, or nil when `error` is about the exchange itself. Matched on the
  /// error's name only: its description would quote the offending header values.
  static func unbuildable(_ error: HTTPClientError) -> String? {
    let name = String(describing: error)
    let reasons = [
      ("invalidHeaderFieldNames", "a header name is not valid"),
      ("invalidHeaderFieldValues", "a header value holds a control character"),
      ("invalidURL", "the URL is not valid"), ("emptyHost", "the URL has no host"),
      ("emptyScheme", "the URL has no scheme"), ("unsupportedScheme", "the URL's scheme is not supported"),
    ]
    return reasons.first { name.hasPrefix("HTTPClientError.\($0.0)") }?.1
  }

  /// Whether `error` (or its text) is a refused TCP connection.
  static func isConnectionRefused(_ error: any Error, text: String) -> Bool {
    if let io = error as? IOError, io.errnoCode == ECONNREFUSED { return true }
    return text.contains("errno: \(ECONNREFUSED))") || text.localizedCaseInsensitiveContains("connection refused")
  }

  /// The reason when `text` (a TLS library error) says the peer's certificate failed verification, else nil.
  static func certificateVerificationFailure(_ text: String) -> String? {
    let markers = [
      "CERTIFICATE_VERIFY_FAILED", "failedToValidateHostname", "unableToValidateCertificate",
      "certificate verify failed",
    ]
    return markers.first { text.localizedCaseInsensitiveContains($0) }
  }
}
