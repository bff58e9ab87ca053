import Foundation

/// Where the cloud credentials come from; secrets in the file are allowed but discouraged.
///
/// Descriptions redact the secret, and encoding omits it.
public struct CredentialSettings: Sendable, Codable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
  /// Named aliyun CLI profile to use.
  public var profile: String?
  /// Use only the environment variables (`ALIBABA_CLOUD_*`).
  public var environment: Bool
  /// Access key ID (discouraged in a file; prefer the environment or a profile).
  public var accessKeyId: String?
  /// Access key secret (discouraged in a file; the file must then be mode 0600).
  public var accessKeySecret: String?
  /// A role assumed on top of the selected source.
  public var assumeRole: AssumeRoleSettings?

  /// Creates settings; the default uses the normal credential chain.
  public init(
    profile: String? = nil, environment: Bool = false, accessKeyId: String? = nil, accessKeySecret: String? = nil,
    assumeRole: AssumeRoleSettings? = nil
  ) {
    self.assumeRole = assumeRole
    self.profile = profile
    self.environment = environment
    self.accessKeyId = accessKeyId
    self.accessKeySecret = accessKeySecret
  }

  private enum CodingKeys: String, CodingKey {
    case profile, environment, accessKeyId, accessKeySecret, assumeRole
  }

  /// Encodes everything except the secret.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(profile, forKey: .profile)
    try c.encode(environment, forKey: .environment)
    try c.encodeIfPresent(accessKeyId, forKey: .accessKeyId)
    try c.encodeIfPresent(assumeRole, forKey: .assumeRole)
  }

  /// A description that never shows the secret.
  public var description: String {
    "CredentialSettings(profile: \(profile ?? "-"), environment: \(environment), accessKeyId: \(accessKeyId ?? "-"), "
      + "accessKeySecret: \(accessKeySecret == nil ? "-" : "<redacted>"), assumeRole: \(assumeRole?.roleArn ?? "-"))"
  }

  /// Same as `description`.
  public var debugDescription: String { description }
}

extension CredentialSettings {
  /// A profile name is one word: a text with blanks, `:` or `,` is keys written on one line (`accessKeyId:AK,
  /// accessKeySecret:...`, which YAML reads as one string), refused without quoting it, since it may hold the secret.
  static func profileName(_ text: String, path: String) throws -> String {
    guard text.contains(where: { $0.isWhitespace || $0 == ":" || $0 == "," }) else { return text }
    throw CertHookError.configuration(
      path: path,
      message: "is not a profile name (it holds blanks, ':' or ','; not shown, it may hold a secret): write keys "
        + "as a mapping, one per line (accessKeyId: ..., accessKeySecret: ...)")
  }

  /// Decodes `credentials:`: a profile name, `environment` (or `env`), or a mapping of the keys below.
  public init(from decoder: any Decoder) throws {
    self = try Self.read(decoder, extraKeys: [])
  }

  /// A credentials section whose mapping may hold `extraKeys` too (an account's `name`); with extra keys only the
  /// mapping form is accepted. No message quotes the secret.
  static func read(_ decoder: any Decoder, extraKeys: Set<String>) throws -> CredentialSettings {
    if extraKeys.isEmpty, let text = ConfigurationFields.scalar(decoder) {
      switch text {
      case "environment", "env": return CredentialSettings(environment: true)
      default:
        return CredentialSettings(profile: try profileName(text, path: ConfigurationDecoder.path(decoder.codingPath)))
      }
    }
    let fields = try ConfigurationFields(
      decoder, known: Set(["profile", "environment", "accessKeyId", "accessKeySecret", "assumeRole"]).union(extraKeys))
    var settings = CredentialSettings()
    settings.profile = try fields.string("profile").map { try profileName($0, path: fields.at("profile")) }
    settings.environment = try fields.bool("environment") ?? false
    settings.accessKeyId = try fields.string("accessKeyId")
    settings.accessKeySecret = try fields.string("accessKeySecret")
    if (settings.accessKeyId == nil) != (settings.accessKeySecret == nil) {
      throw fields.error(nil, "accessKeyId and accessKeySecret go together")
    }
    settings.assumeRole = try fields.decode(AssumeRoleSettings.self, "assumeRole")
    return settings
  }
}
