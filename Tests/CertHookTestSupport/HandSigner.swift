import AlibabaCloud
import Foundation

/// Signs requests with this test's own canonicalisation, written from the spec's rules, so a bug in
/// the shared signer cannot hide behind an emulator that uses it too. Only the hash primitives are shared.
public enum HandSigner {
  /// RFC 3986: keep A-Z a-z 0-9 - _ . ~, every other UTF-8 byte as %XX uppercase.
  public static func encode(_ s: String) -> String {
    var out = ""
    for byte in s.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
        UInt8(ascii: "~"):
        out.append(Character(UnicodeScalar(byte)))
      default:
        let hex = String(byte, radix: 16, uppercase: true)
        out += "%" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return out
  }

  public static func canonicalQuery(_ pairs: [(String, String)]) -> String {
    let encoded: [(String, String)] = pairs.map { (encode($0.0), encode($0.1)) }
    let sorted = encoded.sorted { (a: (String, String), b: (String, String)) -> Bool in
      a.0 == b.0 ? a.1 < b.1 : a.0 < b.0
    }
    return sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
  }

  public static func timestamp(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
      c.second ?? 0)
  }

  public struct V3Input: Sendable {
    public var method = "POST"
    public var host: String
    public var action: String
    public var version: String
    public var query: [(String, String)] = []
    public var body: [UInt8] = []
    public var contentType: String?
    public var accessKeyId = "testid"
    public var secret = "testsecret"
    public var securityToken: String?
    public var date: Date
    public var nonce: String
    /// Overrides the x-acs-content-sha256 value (to test a mismatch).
    public var contentSHA256: String?
    /// Headers left out of SignedHeaders (to test incomplete signatures).
    public var unsigned: Set<String> = []
    /// Signs this canonical query instead of the spec's (to test a wrong encoding rule).
    public var canonicalQueryOverride: String?

    /// Every field, with the defaults a plain signed request uses.
    public init(
      method: String = "POST", host: String, action: String, version: String, query: [(String, String)] = [],
      body: [UInt8] = [], contentType: String? = nil, accessKeyId: String = "testid", secret: String = "testsecret",
      securityToken: String? = nil, date: Date, nonce: String, contentSHA256: String? = nil,
      unsigned: Set<String> = [], canonicalQueryOverride: String? = nil
    ) {
      self.method = method
      self.host = host
      self.action = action
      self.version = version
      self.query = query
      self.body = body
      self.contentType = contentType
      self.accessKeyId = accessKeyId
      self.secret = secret
      self.securityToken = securityToken
      self.date = date
      self.nonce = nonce
      self.contentSHA256 = contentSHA256
      self.unsigned = unsigned
      self.canonicalQueryOverride = canonicalQueryOverride
    }
  }

  /// Returns the headers to send (including authorization), signed per the V3 rules.
  public static func v3(_ input: V3Input) -> [(String, String)] {
    var headers: [(String, String)] = [
      ("host", input.host),
      ("x-acs-action", input.action),
      ("x-acs-version", input.version),
      ("x-acs-date", timestamp(input.date)),
      ("x-acs-signature-nonce", input.nonce),
      ("x-acs-content-sha256", input.contentSHA256 ?? Hashing.sha256Hex(input.body)),
    ]
    if let token = input.securityToken { headers.append(("x-acs-security-token", token)) }
    if let type = input.contentType { headers.append(("content-type", type)) }
    let signed = headers.filter { !input.unsigned.contains($0.0) }.sorted { $0.0 < $1.0 }
    let canonicalHeaders = signed.map { "\($0.0):\($0.1.trimmingCharacters(in: .whitespaces))\n" }.joined()
    let signedNames = signed.map { $0.0 }.joined(separator: ";")
    let canonical = [
      input.method, "/", input.canonicalQueryOverride ?? canonicalQuery(input.query), canonicalHeaders, signedNames,
      input.contentSHA256 ?? Hashing.sha256Hex(input.body),
    ].joined(separator: "\n")
    let stringToSign = "ACS3-HMAC-SHA256\n" + Hashing.sha256Hex(Array(canonical.utf8))
    let signature = Hashing.hmacSHA256Hex(key: Array(input.secret.utf8), data: Array(stringToSign.utf8))
    headers.append(
      (
        "authorization",
        "ACS3-HMAC-SHA256 Credential=\(input.accessKeyId),SignedHeaders=\(signedNames),Signature=\(signature)"
      ))
    return headers
  }

  /// Adds the V1 common parameters and `Signature` to `params`.
  public static func v1(
    method: String, params: [(String, String)], accessKeyId: String = "testid", secret: String = "testsecret",
    date: Date, nonce: String, securityToken: String? = nil
  ) -> [(String, String)] {
    var all =
      params + [
        ("Format", "JSON"), ("AccessKeyId", accessKeyId), ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"), ("SignatureNonce", nonce), ("Timestamp", timestamp(date)),
      ]
    if let token = securityToken { all.append(("SecurityToken", token)) }
    let stringToSign = "\(method)&%2F&" + encode(canonicalQuery(all))
    all.append(("Signature", Hashing.hmacSHA1Base64(key: Array((secret + "&").utf8), data: Array(stringToSign.utf8))))
    return all
  }
}
