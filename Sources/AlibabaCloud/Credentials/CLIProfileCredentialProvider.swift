import Foundation

/// The aliyun CLI profile file `~/.aliyun/config.json` (modes `AK`, `StsToken`, `EcsRamRole`).
///
/// The profile is `ALIBABA_CLOUD_PROFILE` when set, else the file's `current`, else `default`.
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

  /// Creates the provider for `profile` (nil: the file's `current`, else `default`).
  public init(
    homeDirectory: String, profile: String?, readFile: @escaping FileReader,
    metadata: @escaping @Sendable (_ roleName: String) -> any CredentialProvider
  ) {
    self.path = (homeDirectory as NSString).appendingPathComponent(".aliyun/config.json")
    self.profileOverride = profile.flatMap { $0.isEmpty ? nil : $0 }
    self.readFile = readFile
    self.metadata = metadata
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
  }

  /// Credentials of the selected profile; nil when the file does not exist.
  public func credentials() async throws -> AccessCredentials? {
    guard let profile = try selectedProfile() else { return nil }
    let profileName = profile.name ?? "?"
    let mode = profile.mode ?? "AK"
    switch mode {
    case "AK", "StsToken":
      guard let id = profile.access_key_id, !id.isEmpty, let secret = profile.access_key_secret, !secret.isEmpty else {
        throw AlibabaCloudError.credentials(
          "\(path): profile \(profileName) (mode \(mode)) lacks access_key_id or access_key_secret")
      }
      let token = mode == "StsToken" ? profile.sts_token : nil
      if mode == "StsToken" && (token ?? "").isEmpty {
        throw AlibabaCloudError.credentials("\(path): profile \(profileName) (mode StsToken) lacks sts_token")
      }
      return try CredentialValidation.check(
        AccessCredentials(accessKeyId: id, accessKeySecret: secret, securityToken: token),
        source: "\(path): profile \(profileName)",
        fields: .init(accessKeyId: "access_key_id", accessKeySecret: "access_key_secret", securityToken: "sts_token"))
    case "EcsRamRole":
      guard let role = profile.ram_role_name, !role.isEmpty else {
        throw AlibabaCloudError.credentials("\(path): profile \(profileName) (mode EcsRamRole) lacks ram_role_name")
      }
      guard let creds = try await metadata(role).credentials() else {
        throw AlibabaCloudError.credentials("\(path): profile \(profileName): ecs metadata service gave no credentials")
      }
      return creds
    default:
      throw AlibabaCloudError.credentials(
        "\(path): profile \(profileName) uses mode \(mode), which certhook does not support (use AK, StsToken or EcsRamRole)")
    }
  }

  /// The `region_id` of the selected profile, if any.
  public func profileRegion() throws -> String? {
    try selectedProfile()?.region_id.flatMap { $0.isEmpty ? nil : $0 }
  }

  private func selectedProfile() throws -> Profile? {
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
    return profile
  }
}
