import Foundation

/// What one role assumption asks STS for: the role, the session name, how long, and the optional session policy
/// and external ID. Checked where it is built, like the official credentials SDK: a missing role ARN or a duration
/// under 900 seconds is refused before anything is sent.
public struct RoleSessionRequest: Sendable, Equatable {
  /// The shortest session STS grants.
  public static let minimumDuration = 900
  /// The default session length.
  public static let defaultDuration = 3600

  /// `acs:ram::<account>:role/<name>`.
  public var roleArn: String
  /// `RoleSessionName`, 2 to 64 characters of `[A-Za-z0-9_.@-]`.
  public var sessionName: String
  /// `DurationSeconds`, at least 900.
  public var durationSeconds: Int
  /// An optional session policy (JSON, at most 2048 bytes).
  public var policy: String?
  /// An optional `ExternalId` the role's trust may require.
  public var externalId: String?

  /// Creates a request; throws naming `source` when the role ARN is empty or the duration below 900 seconds.
  public init(
    roleArn: String, sessionName: String, durationSeconds: Int? = nil, policy: String? = nil,
    externalId: String? = nil, source: String
  ) throws {
    let arn = roleArn.trimmingCharacters(in: .whitespaces)
    guard !arn.isEmpty else { throw AlibabaCloudError.credentials("\(source): the role ARN is empty") }
    let duration = durationSeconds ?? Self.defaultDuration
    guard duration >= Self.minimumDuration else {
      throw AlibabaCloudError.credentials(
        "\(source): the session duration must be at least \(Self.minimumDuration) seconds, got \(duration)")
    }
    self.roleArn = arn
    self.sessionName = sessionName
    self.durationSeconds = duration
    self.policy = policy.flatMap { $0.isEmpty ? nil : $0 }
    self.externalId = externalId.flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The session name when none is configured: `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else `certhook-<epoch seconds>`.
  public static func defaultSessionName(environment: SessionEnvironment, now: Date) -> String {
    environment.roleSessionName ?? "certhook-\(Int(now.timeIntervalSince1970))"
  }
}
