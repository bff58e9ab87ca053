import Foundation

/// Builds the role-assuming providers every credential source shares (the environment's RRSA variables, aliyun CLI
/// `RamRoleArn` / `ChainableRamRoleArn` / `OIDC` profiles, INI `ram_role_arn` / `oidc_role_arn` sections), with one
/// rule for defaults: a session name not configured is `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else
/// `certhook-<epoch seconds>`; a duration not configured is 3600 s.
public struct RoleProviders: Sendable {
  /// How STS is reached; nil when the caller gave none (every role mode is then an error that says so).
  public let sts: STSAccess?
  /// The environment.
  public let environment: SessionEnvironment
  /// Reads OIDC token files.
  public let readFile: FileReader

  /// Creates the factory.
  public init(sts: STSAccess?, environment: SessionEnvironment, readFile: @escaping FileReader) {
    self.sts = sts
    self.environment = environment
    self.readFile = readFile
  }

  /// The fields one role mode names, in the source's own words for error messages.
  public struct RoleFields: Sendable, Equatable {
    /// The role ARN.
    public var roleArn: String?
    /// The session name.
    public var sessionName: String?
    /// The duration in seconds.
    public var durationSeconds: Int?
    /// The session policy.
    public var policy: String?
    /// The external ID.
    public var externalId: String?
    /// The STS region.
    public var stsRegion: String?
    /// Whether to use the STS VPC endpoint.
    public var enableVPC: Bool?

    /// Creates the fields.
    public init(
      roleArn: String?, sessionName: String? = nil, durationSeconds: Int? = nil, policy: String? = nil,
      externalId: String? = nil, stsRegion: String? = nil, enableVPC: Bool? = nil
    ) {
      self.roleArn = roleArn
      self.sessionName = sessionName
      self.durationSeconds = durationSeconds
      self.policy = policy
      self.externalId = externalId
      self.stsRegion = stsRegion
      self.enableVPC = enableVPC
    }
  }

  /// `AssumeRole` of `fields.roleArn` on top of `source`; `origin` names the file and profile for errors.
  public func assumeRole(
    source: any CredentialProvider, fields: RoleFields, origin: String
  ) throws -> AssumedRoleCredentialProvider {
    let sts = try access(origin)
    return try AssumedRoleCredentialProvider(
      source: source, request: request(fields, origin: origin, now: sts.configuration.runtime.now()), sts: sts,
      stsRegion: fields.stsRegion, enableVPC: fields.enableVPC)
  }

  /// `AssumeRoleWithOIDC` of `fields.roleArn` with the token in `tokenFile`.
  public func oidc(
    fields: RoleFields, providerArn: String?, tokenFile: String?, origin: String
  ) throws -> OIDCRoleCredentialProvider {
    let sts = try access(origin)
    guard let providerArn, !providerArn.isEmpty else {
      throw AlibabaCloudError.credentials("\(origin): the OIDC provider ARN is missing")
    }
    guard let tokenFile, !tokenFile.isEmpty else {
      throw AlibabaCloudError.credentials("\(origin): the OIDC token file is missing")
    }
    return try OIDCRoleCredentialProvider(
      request: request(fields, origin: origin, now: sts.configuration.runtime.now()), providerArn: providerArn,
      tokenFile: tokenFile, readFile: readFile, sts: sts, stsRegion: fields.stsRegion, enableVPC: fields.enableVPC)
  }

  /// The RRSA provider of `ALIBABA_CLOUD_ROLE_ARN` / `_OIDC_PROVIDER_ARN` / `_OIDC_TOKEN_FILE`, nil unless all are set.
  public func oidcFromEnvironment() throws -> OIDCRoleCredentialProvider? {
    guard let role = environment.oidcRole else { return nil }
    return try oidc(
      fields: RoleFields(roleArn: role.roleArn), providerArn: role.providerArn, tokenFile: role.tokenFile,
      origin: "ALIBABA_CLOUD_ROLE_ARN/ALIBABA_CLOUD_OIDC_PROVIDER_ARN/ALIBABA_CLOUD_OIDC_TOKEN_FILE")
  }

  private func access(_ origin: String) throws -> STSAccess {
    guard let sts else {
      throw AlibabaCloudError.credentials("\(origin): assuming a role needs STS, which this caller did not provide")
    }
    return sts
  }

  private func request(_ fields: RoleFields, origin: String, now: Date) throws -> RoleSessionRequest {
    let session = fields.sessionName.flatMap { $0.isEmpty ? nil : $0 }
      ?? RoleSessionRequest.defaultSessionName(environment: environment, now: now)
    return try RoleSessionRequest(
      roleArn: fields.roleArn ?? "", sessionName: session, durationSeconds: fields.durationSeconds,
      policy: fields.policy, externalId: fields.externalId, source: origin)
  }
}
