/// Everything that can go wrong while loading, parsing or issuing certificates and keys.
///
/// Messages are lowercase, name the file (`source`) and never contain key material.
public enum CertificateKitError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file could not be read.
  case unreadableFile(path: String, reason: String)
  /// The input holds no certificate at all.
  case noCertificate(source: String)
  /// A certificate block or DER structure is malformed; `index` counts certificates from 0.
  case malformedCertificate(source: String, index: Int, reason: String)
  /// The input holds no private key.
  case noPrivateKey(source: String)
  /// The private key is encrypted; certhook needs an unencrypted key.
  case encryptedPrivateKey(source: String)
  /// The private key could not be decoded.
  case malformedPrivateKey(source: String, reason: String)
  /// A certificate request or key generation request is invalid.
  case invalidRequest(reason: String)
  /// An OpenSSL operation failed; `details` is OpenSSL's drained error queue.
  case openSSL(operation: String, details: String)
  /// A domain name (e.g. from `--domain`) cannot be converted to its A-label form.
  case invalidDomainName(name: String, reason: String)

  /// An operator-readable, lowercase message naming the file and the reason.
  public var description: String {
    switch self {
    case .unreadableFile(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .noCertificate(let source):
      return "\(source): no certificate found (expected PEM blocks or DER)"
    case .malformedCertificate(let source, let index, let reason):
      return "\(source): certificate #\(index + 1) is malformed: \(reason)"
    case .noPrivateKey(let source):
      return "\(source): no private key found (expected a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)"
    case .encryptedPrivateKey(let source):
      return
        "\(source): the private key is encrypted; provide an unencrypted key (e.g. `openssl pkey -in KEY -out plain.key`)"
    case .malformedPrivateKey(let source, let reason):
      return "\(source): the private key is malformed: \(reason)"
    case .invalidRequest(let reason):
      return "invalid request: \(reason)"
    case .openSSL(let operation, let details):
      return details.isEmpty ? "openssl \(operation) failed" : "openssl \(operation) failed: \(details)"
    case .invalidDomainName(let name, let reason):
      return "invalid domain name '\(name)': \(reason)"
    }
  }
}
