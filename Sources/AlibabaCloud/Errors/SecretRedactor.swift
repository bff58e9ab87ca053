import Foundation

/// Removes every secret certhook knows from text that came from the network, before it is shown or logged:
/// the AccessKey secret, the STS token, the request's signature and any private-key PEM, raw or
/// percent-encoded, whatever field of the answer echoes them. Control characters are escaped afterwards.
public struct SecretRedactor: Sendable {
  /// What replaces a secret.
  public static let placeholder = "<redacted>"
  private let secrets: [String]

  /// A redactor for these secret values (short values below 6 characters are ignored: they would match words).
  public init(secrets: [String]) {
    var all: Set<String> = []
    for secret in secrets where secret.count >= 6 {
      all.insert(secret)
      all.insert(AcsPercentEncoding.encode(secret))
      for line in secret.split(whereSeparator: \.isNewline) where line.count >= 16 && !line.hasPrefix("-----") {
        all.insert(String(line))  // one line of an echoed PEM body
      }
    }
    // Longest first, so a value is removed before any part of it.
    self.secrets = all.sorted { $0.count > $1.count }
  }

  /// Request parameters whose values are private keys whatever they look like: CAS `UploadUserCertificate`'s `Key`
  /// and SLB `UploadServerCertificate`'s `PrivateKey` (sent in the URL query, as the official SDKs send them).
  public static let secretParameterNames: Set<String> = ["Key", "PrivateKey"]

  /// A redactor for `credentials`, the request's `authorization` header and parameter values holding a private key
  /// (any value of a `secretParameterNames` parameter, and any value with a PEM private-key header).
  public init(credentials: AccessCredentials?, authorization: String? = nil, parameters: [(String, String)] = []) {
    var values = [credentials?.accessKeySecret, credentials?.securityToken].compactMap { $0 }
    if let authorization {
      values.append(authorization)
      if let parsed = ACS3Signature.parseAuthorization(authorization) { values.append(parsed.signature) }
    }
    values += parameters.filter { Self.secretParameterNames.contains($0.0) || $0.1.contains("PRIVATE KEY") }.map(\.1)
    self.init(secrets: values)
  }

  /// `text` without any known secret, private-key PEM block or `Signature=` value, control characters escaped.
  public func clean(_ text: String) -> String {
    NetworkText.escaped(redact(text))
  }

  /// `text` without any known secret, private-key PEM block or `Signature=` value.
  public func redact(_ text: String) -> String {
    var out = text
    for secret in secrets where out.contains(secret) {
      out = out.replacingOccurrences(of: secret, with: Self.placeholder)
    }
    out = Self.replacing(#"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"#, in: out)
    out = Self.replacing(#"(?i)(?<=signature=)[^,&\s"']+"#, in: out)
    return out
  }

  private static func replacing(_ pattern: String, in text: String) -> String {
    guard text.range(of: pattern, options: .regularExpression) != nil else { return text }
    return text.replacingOccurrences(of: pattern, with: placeholder, options: .regularExpression)
  }
}
