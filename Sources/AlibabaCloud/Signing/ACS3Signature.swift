import Foundation

/// The V3 `ACS3-HMAC-SHA256` request signature, as pure functions.
public enum ACS3Signature {
  /// The algorithm name that prefixes the string to sign and the Authorization header.
  public static let algorithm = "ACS3-HMAC-SHA256"

  /// Builds the canonical request text (method, path, sorted query, signed headers, payload hash).
  ///
  /// Headers with a repeated (case-insensitive) name are joined with "," in first-seen order.
  public static func canonicalRequest(
    method: String, path: String, query: [(String, String)],
    headers: [(String, String)], signedHeaders: [String], hashedPayload: String
  ) -> String {
    let canonicalQuery = AcsPercentEncoding.canonicalQuery(query)
    let names = normalizedSignedHeaders(signedHeaders)
    // Each header's name lowered once (not once per signed name).
    var valuesByName: [String: [String]] = [:]
    for (name, value) in headers { valuesByName[name.asciiLowercased, default: []].append(value.trimmingSpaces) }
    var canonicalHeaders = ""
    for name in names {
      canonicalHeaders += "\(name):\((valuesByName[name] ?? []).joined(separator: ","))\n"
    }
    let canonicalPath = path.isEmpty ? "/" : path
    return [
      method.uppercased(), canonicalPath, canonicalQuery, canonicalHeaders,
      names.joined(separator: ";"), hashedPayload,
    ].joined(separator: "\n")
  }

  /// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
  public static func stringToSign(canonicalRequest: String) -> String {
    "\(algorithm)\n\(Hashing.sha256Hex(Array(canonicalRequest.utf8)))"
  }

  /// Hex HMAC-SHA256 of the string to sign under the AccessKey secret.
  public static func signature(stringToSign: String, secret: String) -> String {
    Hashing.hmacSHA256Hex(key: Array(secret.utf8), data: Array(stringToSign.utf8))
  }

  /// The `Authorization` header value.
  public static func authorization(accessKeyId: String, signedHeaders: [String], signature: String) -> String {
    let names = normalizedSignedHeaders(signedHeaders).joined(separator: ";")
    return "\(algorithm) Credential=\(accessKeyId),SignedHeaders=\(names),Signature=\(signature)"
  }

  /// Parses an `Authorization` header; nil when it is not a well-formed ACS3 header.
  public static func parseAuthorization(_ header: String) -> (accessKeyId: String, signedHeaders: [String], signature: String)? {
    let trimmed = header.trimmingSpaces
    guard trimmed.hasPrefix(algorithm + " ") else { return nil }
    let rest = trimmed.dropFirst(algorithm.count + 1)
    var fields: [String: String] = [:]
    for part in rest.split(separator: ",") {
      let pair = part.trimmingSpaces
      guard let eq = pair.firstIndex(of: "=") else { return nil }
      fields[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
    }
    guard let credential = fields["Credential"], !credential.isEmpty,
      let signed = fields["SignedHeaders"], !signed.isEmpty,
      let signature = fields["Signature"], !signature.isEmpty
    else { return nil }
    return (credential, signed.split(separator: ";").map { String($0) }, signature)
  }

  /// Signs a request and returns every header to send.
  ///
  /// `headers` should carry `host`, `x-acs-action`, `x-acs-version` and `content-type` when a body
  /// is sent. The result adds `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`,
  /// `x-acs-security-token` (STS only) and `authorization`. Signed: `host`, `content-type` and
  /// every `x-acs-*` header.
  public static func sign(
    method: String, path: String, query: [(String, String)], headers: [(String, String)],
    body: [UInt8], credentials: AccessCredentials, date: Date, nonce: String
  ) -> [(String, String)] {
    let payloadHash = Hashing.sha256Hex(body)
    let reserved: Set<String> = [
      "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "x-acs-security-token", "authorization",
    ]
    var out = headers.filter { !reserved.contains($0.0.asciiLowercased) }
    out.append(("x-acs-date", formatDate(date)))
    out.append(("x-acs-signature-nonce", nonce))
    out.append(("x-acs-content-sha256", payloadHash))
    if let token = credentials.securityToken {
      out.append(("x-acs-security-token", token))
    }
    let signedNames = normalizedSignedHeaders(
      out.map { $0.0.asciiLowercased }.filter { $0 == "host" || $0 == "content-type" || $0.hasPrefix("x-acs-") })
    let canonical = canonicalRequest(
      method: method, path: path, query: query, headers: out, signedHeaders: signedNames,
      hashedPayload: payloadHash)
    let sig = signature(stringToSign: stringToSign(canonicalRequest: canonical), secret: credentials.accessKeySecret)
    out.append(("authorization", authorization(accessKeyId: credentials.accessKeyId, signedHeaders: signedNames, signature: sig)))
    return out
  }

  /// Formats `date` as `yyyy-MM-ddTHH:mm:ssZ` in UTC (the `x-acs-date` format).
  public static func formatDate(_ date: Date) -> String {
    AcsTimestamp.iso8601(date)
  }

  private static func normalizedSignedHeaders(_ names: [String]) -> [String] {
    Array(Set(names.map { $0.asciiLowercased.trimmingSpaces })).sorted()
  }
}
