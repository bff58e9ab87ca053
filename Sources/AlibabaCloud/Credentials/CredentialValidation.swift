import Foundation

/// Credentials are checked when they are loaded: every part must be printable ASCII (it travels in an HTTP
/// header), so a token with a newline or a control byte is refused at once with an error that names where it
/// came from and which part is wrong, never the value.
public enum CredentialValidation {
  /// The error code of a refused credential value; the chain stops on it instead of trying the next source.
  public static let invalidValueCode = "InvalidCredentialValue"

  /// The names of the three parts in the source's own terms (variable names, file keys).
  public struct FieldNames: Sendable {
    /// Name of the AccessKey ID field.
    public var accessKeyId: String
    /// Name of the AccessKey secret field.
    public var accessKeySecret: String
    /// Name of the STS token field.
    public var securityToken: String

    /// Creates field names.
    public init(accessKeyId: String, accessKeySecret: String, securityToken: String) {
      self.accessKeyId = accessKeyId
      self.accessKeySecret = accessKeySecret
      self.securityToken = securityToken
    }

    /// Generic names, for sources without their own.
    public static let generic = FieldNames(
      accessKeyId: "access key id", accessKeySecret: "access key secret", securityToken: "security token")
  }

  /// Returns `credentials` unchanged, or throws naming `source` and the part with a byte outside printable ASCII.
  @discardableResult
  public static func check(
    _ credentials: AccessCredentials, source: String, fields: FieldNames = .generic
  ) throws -> AccessCredentials {
    let parts: [(String, String?)] = [
      (fields.accessKeyId, credentials.accessKeyId), (fields.accessKeySecret, credentials.accessKeySecret),
      (fields.securityToken, credentials.securityToken),
    ]
    for (name, value) in parts {
      guard let value, let offset = firstUnsendableByte(value) else { continue }
      throw AlibabaCloudError(
        kind: .credentials, code: invalidValueCode,
        message: "\(source): \(name) contains a control character or a non-ASCII byte (at byte \(offset + 1)) and "
          + "cannot be sent in a request header; fix the value (it is not shown)")
    }
    return credentials
  }

  /// The offset of the first byte that may not appear in a header value, or nil when all are printable ASCII.
  public static func firstUnsendableByte(_ value: String) -> Int? {
    value.utf8.firstIndex { $0 < 0x20 || $0 > 0x7e }.map { value.utf8.distance(from: value.utf8.startIndex, to: $0) }
  }
}
