import Foundation

/// An AccessKey pair, optionally with an STS security token and its expiry.
///
/// `description` and `debugDescription` never show the secret or the token.
public struct AccessCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
  /// The AccessKey ID (not secret, but only shown masked).
  public var accessKeyId: String
  /// The AccessKey secret: never logged or printed.
  public var accessKeySecret: String
  /// The STS security token, when the credentials are temporary.
  public var securityToken: String?
  /// When temporary credentials stop working; nil for long-lived keys.
  public var expiration: Date?

  /// Creates credentials from their parts.
  public init(accessKeyId: String, accessKeySecret: String, securityToken: String? = nil, expiration: Date? = nil) {
    self.accessKeyId = accessKeyId
    self.accessKeySecret = accessKeySecret
    self.securityToken = (securityToken?.isEmpty ?? true) ? nil : securityToken
    self.expiration = expiration
  }

  /// The AccessKey ID with all but its first four characters masked.
  public var maskedAccessKeyId: String {
    let visible = accessKeyId.count > 8 ? 4 : min(2, accessKeyId.count)
    return String(accessKeyId.prefix(visible)) + "****"
  }

  /// A redacted summary: masked key ID, no secret, no token.
  public var description: String {
    var parts = ["accessKeyId: \(maskedAccessKeyId)", "accessKeySecret: <redacted>"]
    parts.append("securityToken: \(securityToken == nil ? "none" : "<redacted>")")
    if let expiration {
      parts.append("expiration: \(expiration.timeIntervalSince1970)")
    }
    return "AccessCredentials(\(parts.joined(separator: ", ")))"
  }

  /// Same as `description`: redacted.
  public var debugDescription: String { description }
}
