import Foundation

/// Removes every secret certhook knows from text that came from the network, before it is shown or logged:
/// the AccessKey secret, the STS token, the request's signature and any private-key PEM, raw or
/// percent-encoded, whatever field of the answer echoes them. Control characters are escaped afterwards.
public struct SecretRedactor: Sendable {
  /// What replaces a secret.
  public static let placeholder = "<redacted>"
  /// The values as given; their encoded forms and lines are derived only when text is redacted (most answers are
  /// successes, whose text is never shown).
  private let values: [String]
  private let authorization: String?

  /// A redactor for these secret values (short values below 6 characters are ignored: they would match words).
  public init(secrets: [String]) {
    values = secrets
    authorization = nil
  }

  /// Every form of every secret to look for, longest first.
  private var secrets: [String] {
    var given = values
    if let authorization {
      given.append(authorization)
      if let parsed = ACS3Signature.parseAuthorization(authorization) { given.append(parsed.signature) }
    }
    var all: Set<String> = []
    for secret in given where secret.count >= 6 {
      all.insert(secret)
      all.insert(AcsPercentEncoding.encode(secret))
      for line in secret.split(whereSeparator: \.isNewline) where line.count >= 16 && !line.hasPrefix("-----") {
        all.insert(String(line))  // one line of an echoed PEM body
      }
    }
    // Longest first, so a value is removed before any part of it.
    return all.sorted { $0.count > $1.count }
  }

  /// Request parameters whose values are private keys whatever they look like: CAS `UploadUserCertificate`'s `Key`
  /// and SLB `UploadServerCertificate`'s `PrivateKey` (sent in the URL query, as the official SDKs send them).
  public static let secretParameterNames: Set<String> = ["Key", "PrivateKey"]

  /// A redactor for `credentials`, the request's `authorization` header and parameter values holding a private key
  /// (any value of a `secretParameterNames` parameter, and any value with a PEM private-key header).
  public init(credentials: AccessCredentials?, authorization: String? = nil, parameters: [(String, String)] = []) {
    values =
      [credentials?.accessKeySecret, credentials?.securityToken].compactMap { $0 }
      + parameters.filter { Self.secretParameterNames.contains($0.0) || Self.holdsPrivateKeyMarker($0.1) }.map(\.1)
    self.authorization = authorization
  }

  /// Whether `value` holds `PRIVATE KEY`, compared byte by byte in place: Foundation's `contains` (and the standard
  /// library's generic `firstRange`) on every parameter of every request cost more than the rest of the request's
  /// signing.
  static func holdsPrivateKeyMarker(_ value: String) -> Bool {
    var text = value
    return text.withUTF8 { bytes in
      let marker = privateKeyMarker
      guard bytes.count >= marker.count else { return false }
      for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
        if (1..<marker.count).allSatisfy({ bytes[start + $0] == marker[$0] }) { return true }
      }
      return false
    }
  }

  private static let privateKeyMarker = Array("PRIVATE KEY".utf8)

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
    // The patterns only where their fixed part occurs: compiling a regular expression costs more than the rest.
    if out.contains("PRIVATE KEY-----") {
      out = Self.replacing(#"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"#, in: out)
    }
    if out.range(of: "signature=", options: .caseInsensitive) != nil {
      out = Self.replacing(#"(?i)(?<=signature=)[^,&\s"']+"#, in: out)
    }
    return out
  }

  private static func replacing(_ pattern: String, in text: String) -> String {
    guard text.range(of: pattern, options: .regularExpression) != nil else { return text }
    return text.replacingOccurrences(of: pattern, with: placeholder, options: .regularExpression)
  }
}
