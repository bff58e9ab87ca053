import Foundation

/// Builds the credential providers of a session from the parsed environment, the home directory and the file
/// reader: the ambient chain in the official credentials SDK's order (environment, RRSA OIDC role, aliyun CLI
/// profile, INI file, ECS RAM role) or one named profile. Role modes reach STS through `sts`.
///
/// A new kind of source is a provider file plus one case in `CredentialSelection` that this type turns into
/// providers.
public struct CredentialSources: Sendable {
  /// The environment, already parsed.
  public let environment: SessionEnvironment
  /// The home directory (`~/.aliyun`, `~/.alibabacloud`).
  public let homeDirectory: String
  /// How files are read.
  public let readFile: FileReader
  /// Builds the ECS provider for a role name (nil = discover it); nil leaves the metadata service out.
  public let metadata: (@Sendable (_ roleName: String?) -> any CredentialProvider)?
  /// Builds the role-assuming providers (AssumeRole, AssumeRoleWithOIDC).
  public let roles: RoleProviders

  /// Creates the builder; `sts` nil leaves every role mode an error that says so.
  public init(
    environment: SessionEnvironment, homeDirectory: String, readFile: @escaping FileReader,
    metadata: (@Sendable (_ roleName: String?) -> any CredentialProvider)?, sts: STSAccess? = nil
  ) {
    self.environment = environment
    self.homeDirectory = homeDirectory
    self.readFile = readFile
    self.metadata = metadata
    self.roles = RoleProviders(sts: sts, environment: environment, readFile: readFile)
  }

  /// The ECS provider of an `EcsRamRole` profile or `ecs_ram_role` section; with
  /// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` it is an error, as in the official credentials SDK.
  private var forRole: @Sendable (String) -> any CredentialProvider {
    let metadata = environment.ecsMetadataDisabled ? nil : self.metadata
    let disabled = environment.ecsMetadataDisabled
    return { role in
      if disabled {
        return FailingCredentialProvider(
          name: "ecs-ram-role",
          error: AlibabaCloudError.credentials(
            "role \(role) needs the ECS metadata service, which ALIBABA_CLOUD_ECS_METADATA_DISABLED=true turns off"))
      }
      return metadata?(role) ?? StaticCredentialProvider(nil, name: "ecs-ram-role", lookupDescription: "disabled")
    }
  }

  /// The aliyun CLI profile provider for `profile` (nil: the environment's, else the file's current one).
  public func cliProfile(_ profile: String?) -> CLIProfileCredentialProvider {
    CLIProfileCredentialProvider(
      homeDirectory: homeDirectory, profile: profile ?? environment.profile, readFile: readFile, metadata: forRole,
      roles: roles)
  }

  /// The INI credentials file provider for `section` (nil: the environment's profile, else `default`).
  public func iniFile(_ section: String?) -> INIFileCredentialProvider {
    INIFileCredentialProvider(
      homeDirectory: homeDirectory, file: environment.credentialsFile, section: section ?? environment.profile,
      readFile: readFile, metadata: forRole, roles: roles)
  }

  /// The ambient order (`alibabacloud_credentials` `DefaultCredentialsProvider`): environment, the RRSA OIDC role
  /// (when its three variables are set), aliyun CLI profile (unless `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`), INI
  /// credentials file, ECS RAM role.
  public func ambient() -> [any CredentialProvider] {
    var providers: [any CredentialProvider] = [EnvironmentCredentialProvider(environment: environment)]
    do {
      if let oidc = try roles.oidcFromEnvironment() { providers.append(oidc) }
    } catch {
      providers.append(FailingCredentialProvider(name: "oidc-role-arn", error: error))
    }
    if !environment.cliProfileDisabled { providers.append(cliProfile(nil)) }
    providers.append(iniFile(nil))
    if let metadata, !environment.ecsMetadataDisabled {
      providers.append(metadata(environment.ecsMetadataRole))
    }
    return providers
  }

  /// The providers for `selection`, with the message that leads the error when none has credentials.
  public func providers(for selection: CredentialSelection) -> (providers: [any CredentialProvider], notFound: String) {
    switch selection {
    case .standard:
      return (ambient(), "no alibaba cloud credentials found")
    case .profile(let name, let origin):
      // A named profile is the only source: ambient variables never stand in for it.
      return (
        [cliProfile(name), iniFile(name)],
        "profile \(name) (named by \(origin)) was not found, and certhook does not fall back to other credentials"
      )
    case .environment(let origin):
      return (
        [EnvironmentCredentialProvider(environment: environment)],
        "\(origin) asks for the environment, but ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET "
          + "(or ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY) are not both set"
      )
    case .keys(let credentials, let origin):
      return ([StaticCredentialProvider(credentials, name: "explicit", lookupDescription: origin)], "\(origin) gives no keys")
    case .assumeRole(let fields, let base, let origin):
      let (baseProviders, baseNotFound) = providers(for: base)
      let source = CredentialChain(providers: baseProviders, notFound: baseNotFound)
      do {
        return ([try roles.assumeRole(source: source, fields: fields, origin: origin)], "\(origin): no role credentials")
      } catch {
        return ([FailingCredentialProvider(name: "ram-role-arn", error: error)], "\(origin): the role cannot be assumed")
      }
    }
  }
}
