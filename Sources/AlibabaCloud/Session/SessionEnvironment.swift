import Foundation

/// The process environment as certhook understands it, read once, by this type only: every credential
/// provider, the region and endpoint choice and the metadata settings take their values from here, with one
/// rule for every variable (surrounding whitespace trimmed, an empty value is unset).
public struct SessionEnvironment: Sendable {
  /// One AccessKey set found in the environment, and the variable names it came from.
  public struct AccessKeys: Sendable {
    /// The AccessKey ID.
    public var accessKeyId: String
    /// The AccessKey secret (never printed).
    public var accessKeySecret: String
    /// The STS token, when one is set.
    public var securityToken: String?
    /// Name of the variable that holds the ID (`ALIBABA_CLOUD_ACCESS_KEY_ID` or `ALICLOUD_ACCESS_KEY`).
    public var idVariable: String
    /// Name of the variable that holds the secret.
    public var secretVariable: String
    /// Name of the variable that holds the token.
    public var tokenVariable: String
  }

  /// The variable names of the two accepted spellings, in order of preference.
  public static let accessKeyVariables = [
    (id: "ALIBABA_CLOUD_ACCESS_KEY_ID", secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET", token: "ALIBABA_CLOUD_SECURITY_TOKEN"),
    (id: "ALICLOUD_ACCESS_KEY", secret: "ALICLOUD_SECRET_KEY", token: "ALICLOUD_SECURITY_TOKEN"),
  ]

  private let values: [String: String]

  /// Reads `environment` (normally `ProcessInfo.processInfo.environment`, passed in by the caller).
  public init(_ environment: [String: String]) {
    var values: [String: String] = [:]
    for (name, raw) in environment {
      let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      if !value.isEmpty { values[name] = value }
    }
    self.values = values
  }

  /// A variable's trimmed value; nil when unset or blank.
  public subscript(_ name: String) -> String? { values[name] }

  /// The first complete AccessKey set; throws when only half of a set is given (naming the variables, never values).
  public func accessKeys() throws -> AccessKeys? {
    for names in Self.accessKeyVariables {
      switch (values[names.id], values[names.secret]) {
      case (let id?, let secret?):
        return AccessKeys(
          accessKeyId: id, accessKeySecret: secret, securityToken: values[names.token], idVariable: names.id,
          secretVariable: names.secret, tokenVariable: names.token)
      case (.some, nil):
        throw AlibabaCloudError.credentials("\(names.id) is set but \(names.secret) is not; set both")
      case (nil, .some):
        throw AlibabaCloudError.credentials("\(names.secret) is set but \(names.id) is not; set both")
      case (nil, nil):
        continue
      }
    }
    return nil
  }

  /// `ALIBABA_CLOUD_REGION_ID`, else `ALICLOUD_REGION`.
  public var region: String? { values["ALIBABA_CLOUD_REGION_ID"] ?? values["ALICLOUD_REGION"] }
  /// `ALIBABA_CLOUD_PROFILE`: the ambient profile name (a named `--profile` is chosen through `CredentialSelection`).
  public var profile: String? { values["ALIBABA_CLOUD_PROFILE"] }
  /// `ALIBABA_CLOUD_CREDENTIALS_FILE`: the INI credentials file.
  public var credentialsFile: String? { values["ALIBABA_CLOUD_CREDENTIALS_FILE"] }
  /// `ALIBABA_CLOUD_ECS_METADATA`: the ECS RAM role name.
  public var ecsMetadataRole: String? { values["ALIBABA_CLOUD_ECS_METADATA"] }
  /// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` leaves the metadata service out.
  public var ecsMetadataDisabled: Bool { values["ALIBABA_CLOUD_ECS_METADATA_DISABLED"]?.lowercased() == "true" }
  /// `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, when all three
  /// are set (RRSA); the official SDKs ignore any one of them alone, and so does certhook.
  public var oidcRole: (roleArn: String, providerArn: String, tokenFile: String)? {
    guard let role = values["ALIBABA_CLOUD_ROLE_ARN"], let provider = values["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"],
      let file = values["ALIBABA_CLOUD_OIDC_TOKEN_FILE"]
    else { return nil }
    return (role, provider, file)
  }
  /// `ALIBABA_CLOUD_ROLE_SESSION_NAME`: the session name of an assumed role that names none.
  public var roleSessionName: String? { values["ALIBABA_CLOUD_ROLE_SESSION_NAME"] }
  /// `ALIBABA_CLOUD_STS_REGION`: STS at `sts.<region>.aliyuncs.com`.
  public var stsRegion: String? { values["ALIBABA_CLOUD_STS_REGION"] }
  /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`: STS through its VPC endpoint (`sts-vpc.<region>.aliyuncs.com`).
  public var vpcEndpointEnabled: Bool { values["ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"]?.lowercased() == "true" }
  /// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` leaves the aliyun CLI profile out of the ambient chain.
  public var cliProfileDisabled: Bool { values["ALIBABA_CLOUD_CLI_PROFILE_DISABLED"]?.lowercased() == "true" }
  /// `CERTHOOK_ECS_METADATA_ENDPOINT`: another ECS metadata service address (loopback only, for tests and demos).
  public var ecsMetadataEndpoint: String? { values["CERTHOOK_ECS_METADATA_ENDPOINT"] }
  /// `HOME`.
  public var home: String? { values["HOME"] }
  /// The product's endpoint variable, e.g. `CERTHOOK_ALB_ENDPOINT`.
  public func endpoint(for product: CloudProduct) -> String? { values[product.endpointVariable] }
}
