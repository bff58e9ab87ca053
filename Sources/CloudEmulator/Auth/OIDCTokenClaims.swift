import Foundation

/// The claims of an OIDC ID token (a JWT) that STS `AssumeRoleWithOIDC` judges: issuer, subject, audiences,
/// issued-at and expiry. Decoded by the emulator's own code (base64url of the middle part, then JSON); the
/// signature is not checked, because the emulator has no identity provider keys: the issuer, subject and expiry
/// are, and a token that is not three base64url parts of JSON is refused.
struct OIDCTokenClaims: Sendable, Equatable {
  var issuer: String
  var subject: String
  var audiences: [String]
  var issuedAt: Date?
  var expiresAt: Date

  /// Parses `token`; nil when it is not a JWT with `iss`, `sub` and `exp`.
  init?(token: String) {
    let parts = token.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let payload = OIDCTokenClaims.base64URLDecode(String(parts[1])),
      let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
      let issuer = object["iss"] as? String, let subject = object["sub"] as? String,
      let exp = (object["exp"] as? NSNumber)?.doubleValue
    else { return nil }
    self.issuer = issuer
    self.subject = subject
    if let single = object["aud"] as? String {
      audiences = [single]
    } else {
      audiences = (object["aud"] as? [Any])?.compactMap { $0 as? String } ?? []
    }
    issuedAt = (object["iat"] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) }
    expiresAt = Date(timeIntervalSince1970: exp)
  }

  /// RFC 4648 section 5 alphabet, padding optional.
  static func base64URLDecode(_ text: String) -> Data? {
    var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while standard.count % 4 != 0 { standard += "=" }
    return Data(base64Encoded: standard)
  }
}
