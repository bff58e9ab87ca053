import Foundation

/// `credentials.assumeRole`: a RAM role certhook assumes (STS `AssumeRole`) on top of whatever the rest of
/// `credentials:` selects (keys, a profile, the environment, or the standard chain). The decoder checks the ARN
/// shape and that `durationSeconds` lies in 900...43200, naming the key path.
public struct AssumeRoleSettings: Sendable, Codable, Equatable {
  /// The accepted session lengths in seconds.
  public static let durationRange = 900...43200

  /// `acs:ram::<account>:role/<name>`.
  public var roleArn: String
  /// `RoleSessionName`; nil: `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else `certhook-<epoch>`.
  public var sessionName: String?
  /// `DurationSeconds`; nil: 3600.
  public var durationSeconds: Int?
  /// An optional session policy (JSON).
  public var policy: String?
  /// An optional `ExternalId`.
  public var externalId: String?

  /// Creates settings.
  public init(
    roleArn: String, sessionName: String? = nil, durationSeconds: Int? = nil, policy: String? = nil,
    externalId: String? = nil
  ) {
    self.roleArn = roleArn
    self.sessionName = sessionName
    self.durationSeconds = durationSeconds
    self.policy = policy
    self.externalId = externalId
  }

  /// Whether `arn` has the shape `acs:ram::<account>:role/<name>`.
  public static func isRoleArn(_ arn: String) -> Bool {
    let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
    return parts.count == 5 && parts[0] == "acs" && parts[1] == "ram" && parts[2].isEmpty && !parts[3].isEmpty
      && parts[4].hasPrefix("role/") && parts[4].count > 5
  }
}

extension AssumeRoleSettings {
  /// Decodes `assumeRole:`; `roleArn` is required and checked.
  public init(from decoder: any Decoder) throws {
    let fields = try ConfigurationFields(
      decoder, known: ["roleArn", "sessionName", "durationSeconds", "policy", "externalId"])
    guard let arn = try fields.string("roleArn") else {
      throw fields.error("roleArn", "missing (acs:ram::<account-id>:role/<name>)")
    }
    guard Self.isRoleArn(arn) else {
      throw fields.error("roleArn", "must look like acs:ram::<account-id>:role/<name>")
    }
    self.init(roleArn: arn)
    sessionName = try fields.string("sessionName")
    if let text = try fields.string("durationSeconds") {
      guard let value = Int(text), Self.durationRange.contains(value) else {
        throw fields.error("durationSeconds", "must be a whole number of seconds from 900 to 43200")
      }
      durationSeconds = value
    }
    policy = try fields.string("policy")
    externalId = try fields.string("externalId")
  }
}
