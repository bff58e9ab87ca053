import Foundation

/// The aliyun CLI profile file `~/.aliyun/config.json`, modes `AK`, `StsToken`, `EcsRamRole`, `RamRoleArn`,
/// `ChainableRamRoleArn` (a role assumed on top of `source_profile`, recursively) and `OIDC`, with the fields the
/// official credentials SDK reads (`ram_role_arn`, `ram_session_name`, `expired_seconds`, `policy`, `external_id`,
/// `sts_region`, `enable_vpc`, `oidc_provider_arn`, `oidc_token_file`, `role_session_name`).
///
/// The profile is `ALIBABA_CLOUD_PROFILE` when set, else the file's `current`, else `default`. The provider a profile
/// needs is built once and kept, so a role profile assumes its role once per credential lifetime, not per request.
public struct CLIProfileCredentialProvider: CredentialProvider {
  /// Provider name.
  public let name = "aliyun-cli-profile"
  /// The file looked at.
  public var lookupDescription: String { path }
  /// Path of the config file.
  public let path: String
  private let profileOverride: String?
  private let readFile: FileReader
  private let metadata: @Sendable (_ roleName: String) -> any CredentialProvider
  private let roles: RoleProviders?
  private let built = ProviderCache()

  /// Creates the provider for the profile `ALIBABA_CLOUD_PROFILE` names (else the file's `current`);
  /// `metadata` builds the ECS provider for `EcsRamRole` profiles.
  public init(
    homeDirectory: String, environment: [String: String], readFile: @escaping FileReader,
    metadata: @escaping @Sendable (_ roleName: String) -> any CredentialProvider
  ) {
    self.init(
      homeDirectory: homeDirectory, profile: SessionEnvironment(environment).profile, readFile: readFile,
      metadata: metadata)
  }

  /// Creates the provider for `profile` (nil: the file's `current`, else `default`); `roles` builds the providers
  /// of the role modes (nil: those modes are an error).
  public init(
    homeDirectory: String, profile: String?, readFile: @escaping FileReader,
    metadata: @escaping @Sendable (_ roleName: String) -> any CredentialProvider, roles: RoleProviders? = nil
  ) {
    self.path = (homeDirectory as NSString).appendingPathComponent(".aliyun/config.json")
    self.profileOverride = profile.flatMap { $0.isEmpty ? nil : $0 }
    self.readFile = readFile
    self.metadata = metadata
    self.roles = roles
  }

  private struct File: Decodable {
    var current: String?
    var profiles: [Profile]?
  }

  private struct Profile: Decodable {
    var name: String?
    var mode: String?
    var access_key_id: String?
    var access_key_secret: String?
    var sts_token: String?
    var ram_role_name: String?
    var region_id: String?
    var ram_role_arn: String?
    var ram_session_name: String?
    var role_session_name: String?
    var expired_seconds: Int?
    var policy: String?
    var external_id: String?
    var sts_region: String?
    var enable_vpc: Bool?
    var oidc_provider_arn: String?
    var oidc_token_file: String?
    var source_profile: String?
  }

  /// Credentials of the selected profile; nil when the file does not exist.
  public func credentials() async throws -> AccessCredentials? {
    guard let (file, profile) = try selected() else { return nil }
    let provider = try await built.provider { try self.provider(for: profile, in: file, visited: []) }
    let profileName = profile.name ?? "?"
    guard let creds = try await provider.credentials() else {
      throw AlibabaCloudError.credentials(
        "\(path): profile \(profileName): \(provider.name) (\(provider.lookupDescription)) gave no credentials")
    }
    return creds
  }

  /// The `region_id` of the selected profile, if any.
  public func profileRegion() throws -> String? {
    try selected()?.1.region_id.flatMap { $0.isEmpty ? nil : $0 }
  }

  private func provider(for profile: Profile, in file: File, visited: Set<String>) throws -> any CredentialProvider {
    let profileName = profile.name ?? "?"
    let mode = profile.mode ?? "AK"
    let origin = "\(path): profile \(profileName) (mode \(mode))"
    switch mode {
    case "AK", "StsToken":
      return try staticKeys(profile, origin: origin, withToken: mode == "StsToken")
    case "EcsRamRole":
      guard let role = profile.ram_role_name, !role.isEmpty else {
        throw AlibabaCloudError.credentials("\(origin) lacks ram_role_name")
      }
      return metadata(role)
    case "RamRoleArn", "ChainableRamRoleArn":
      let source: any CredentialProvider
      if mode == "RamRoleArn" {
        source = try staticKeys(profile, origin: origin, withToken: false)
      } else {
        guard let sourceName = profile.source_profile, !sourceName.isEmpty else {
          throw AlibabaCloudError.credentials("\(origin) lacks source_profile")
        }
        guard !visited.contains(sourceName), sourceName != profileName else {
          throw AlibabaCloudError.credentials("\(origin): source_profile \(sourceName) leads back to itself")
        }
        guard let next = file.profiles?.first(where: { $0.name == sourceName }) else {
          throw AlibabaCloudError.credentials("\(origin): source_profile \(sourceName) is not in \(path)")
        }
        source = try provider(for: next, in: file, visited: visited.union([profileName]))
      }
      return try roleProviders(origin).assumeRole(
        source: source,
        fields: .init(
          roleArn: profile.ram_role_arn, sessionName: profile.ram_session_name, durationSeconds: profile.expired_seconds,
          policy: profile.policy, externalId: profile.external_id, stsRegion: profile.sts_region,
          enableVPC: profile.enable_vpc),
        origin: origin)
    case "OIDC":
      return try roleProviders(origin).oidc(
        fields: .init(
          roleArn: profile.ram_role_arn, sessionName: profile.role_session_name,
          durationSeconds: profile.expired_seconds, policy: profile.policy, stsRegion: profile.sts_region,
          enableVPC: profile.enable_vpc),
        providerArn: profile.oidc_provider_arn, tokenFile: profile.oidc_token_file, origin: origin)
    default:
      throw AlibabaCloudError.credentials(
        "\(path): profile \(profileName) uses mode \(mode), which certhook does not support "
          + "(use AK, StsToken, EcsRamRole, RamRoleArn, ChainableRamRoleArn or OIDC)")
    }
  }

  /// The profile's own keys (`AK`, `StsToken`, and the source of `RamRoleArn`), checked for unsendable bytes.
  private func staticKeys(_ profile: Profile, origin: String, withToken: Bool) throws -> any CredentialProvider {
    let profileName = profile.name ?? "?"
    guard let id = profile.access_key_id, !id.isEmpty, let secret = profile.access_key_secret, !secret.isEmpty else {
      throw AlibabaCloudError.credentials("\(origin) lacks access_key_id or access_key_secret")
    }
    let token = withToken ? profile.sts_token : nil
    if withToken && (token ?? "").isEmpty {
      throw AlibabaCloudError.credentials("\(origin) lacks sts_token")
    }
    let creds = try CredentialValidation.check(
      AccessCredentials(accessKeyId: id, accessKeySecret: secret, securityToken: token),
      source: "\(path): profile \(profileName)",
      fields: .init(accessKeyId: "access_key_id", accessKeySecret: "access_key_secret", securityToken: "sts_token"))
    return StaticCredentialProvider(creds, name: "static", lookupDescription: "profile \(profileName)")
  }

  private func roleProviders(_ origin: String) throws -> RoleProviders {
    guard let roles else {
      throw AlibabaCloudError.credentials("\(origin): assuming a role needs STS, which this caller did not provide")
    }
    return roles
  }

  private func selected() throws -> (File, Profile)? {
    guard let bytes = try readFile(path) else { return nil }
    let file: File
    do {
      file = try JSONDecoder().decode(File.self, from: Data(bytes))
    } catch {
      throw AlibabaCloudError.credentials("\(path) is not valid aliyun CLI JSON: \(error)")
    }
    let wanted = profileOverride ?? file.current.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    guard let profile = file.profiles?.first(where: { $0.name == wanted }) else {
      throw AlibabaCloudError.credentials("\(path) has no profile named \(wanted)")
    }
    return (file, profile)
  }
}
