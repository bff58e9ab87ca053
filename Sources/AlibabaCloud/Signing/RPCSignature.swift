import Foundation

/// The V1 RPC `HMAC-SHA1` signature, as pure functions.
public enum RPCSignature {
  /// `METHOD&%2F&` + percentEncode(sorted `k=v&...` of every parameter except `Signature`).
  public static func stringToSign(method: String, parameters: [(String, String)]) -> String {
    let canonical = AcsPercentEncoding.canonicalQuery(parameters.filter { $0.0 != "Signature" })
    return "\(method.uppercased())&\(AcsPercentEncoding.encode("/"))&\(AcsPercentEncoding.encode(canonical))"
  }

  /// Base64 HMAC-SHA1 of the string to sign under `secret + "&"`.
  public static func signature(method: String, parameters: [(String, String)], secret: String) -> String {
    let text = stringToSign(method: method, parameters: parameters)
    return Hashing.hmacSHA1Base64(key: Array((secret + "&").utf8), data: Array(text.utf8))
  }

  /// Adds the V1 common parameters (and `Signature`) to `parameters` for one request.
  public static func signedParameters(
    method: String, action: String, version: String, parameters: [(String, String)],
    credentials: AccessCredentials, date: Date, nonce: String
  ) -> [(String, String)] {
    var all = parameters.filter { $0.0 != "Signature" }
    all.append(contentsOf: [
      ("Action", action), ("Version", version), ("Format", "JSON"),
      ("AccessKeyId", credentials.accessKeyId), ("SignatureMethod", "HMAC-SHA1"),
      ("SignatureVersion", "1.0"), ("SignatureNonce", nonce), ("Timestamp", AcsTimestamp.iso8601(date)),
    ])
    if let token = credentials.securityToken {
      all.append(("SecurityToken", token))
    }
    all.append(("Signature", signature(method: method, parameters: all, secret: credentials.accessKeySecret)))
    return all
  }
}
