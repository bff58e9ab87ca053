import Foundation

/// The INI file `~/.alibabacloud/credentials.ini` (what the Python credentials SDK reads), else
/// `~/.alibabacloud/credentials` (what the other SDKs read), or `ALIBABA_CLOUD_CREDENTIALS_FILE`; section
/// `ALIBABA_CLOUD_PROFILE` or `default`, with `type = access_key | sts | ecs_ram_role | ram_role_arn | oidc_role_arn`
/// (the role types with the official SDK's keys: `role_arn`, `role_session_name`, `policy`, and `access_key_id` /
/// `access_key_secret` or `oidc_provider_arn` / `oidc_token_file_path`).
public struct INIFileCredentialProvider: CredentialProvider {
  /// Provider name.
  public let name = "credentials-file"
  /// The file looked at.
  public var lookupDescription: String { explicitPath ? path : "\(path).ini or \(path)" }
  /// Path of the INI file.
  public let path: String
  private let explicitPath: Bool
  private let section: String
  private let readFile: FileReader
  private let metadata: @Sendable (_ roleName: String) -> any CredentialProvider
  private let roles: RoleProviders?
  private let built = ProviderCache()

  /// Creates the provider for the file and section the environment names; `metadata` builds the ECS provider
  /// for `ecs_ram_role` sections.
  public init(
    homeDirectory: String, environment: [String: String], readFile: @escaping FileReader,
    metadata: @escaping @Sendable (_ roleName: String) -> any CredentialProvider
  ) {
    let parsed = SessionEnvironment(environment)
    self.init(
      homeDirectory: homeDirectory, file: parsed.credentialsFile, section: parsed.profile, readFile: readFile,
      metadata: metadata)
  }

  /// Creates the provider for `file` (nil: `~/.alibabacloud/credentials.ini`, else `~/.alibabacloud/credentials`)
  /// and `section` (nil: `default`).
  public init(
    homeDirectory: String, file: String?, section: String?, readFile: @escaping FileReader,
    metadata: @escaping @Sendable (_ roleName: String) -> any CredentialProvider, roles: RoleProviders? = nil
  ) {
    self.roles = roles
    if let file, !file.isEmpty {
      self.path = file
      self.explicitPath = true
    } else {
      self.path = (homeDirectory as NSString).appendingPathComponent(".alibabacloud/credentials")
      self.explicitPath = false
    }
    self.section = section.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    self.readFile = readFile
    self.metadata = metadata
  }

  /// Credentials of the selected section; nil when the (default) file does not exist.
  public func credentials() async throws -> AccessCredentials? {
    let bytes: [UInt8]
    let path: String
    if !explicitPath, let ini = try readFile(self.path + ".ini") {
      (bytes, path) = (ini, self.path + ".ini")
    } else if let plain = try readFile(self.path) {
      (bytes, path) = (plain, self.path)
    } else {
      if explicitPath {
        throw AlibabaCloudError.credentials("ALIBABA_CLOUD_CREDENTIALS_FILE names \(self.path), which does not exist")
      }
      return nil
    }
    let sections = Self.parse(String(decoding: bytes, as: UTF8.self))
    guard let values = sections[section] else {
      throw AlibabaCloudError.credentials("\(path) has no [\(section)] section")
    }
    let type = values["type"] ?? "access_key"
    switch type {
    case "access_key", "sts":
      guard let id = values["access_key_id"], !id.isEmpty, let secret = values["access_key_secret"], !secret.isEmpty else {
        throw AlibabaCloudError.credentials("\(path) [\(section)]: type \(type) needs access_key_id and access_key_secret")
      }
      return try CredentialValidation.check(
        AccessCredentials(
          accessKeyId: id, accessKeySecret: secret, securityToken: type == "sts" ? values["security_token"] : nil),
        source: "\(path) [\(section)]",
        fields: .init(accessKeyId: "access_key_id", accessKeySecret: "access_key_secret", securityToken: "security_token"))
    case "ecs_ram_role":
      guard let role = values["role_name"], !role.isEmpty else {
        throw AlibabaCloudError.credentials("\(path) [\(section)]: type ecs_ram_role needs role_name")
      }
      guard let creds = try await metadata(role).credentials() else {
        throw AlibabaCloudError.credentials("\(path) [\(section)]: ecs metadata service gave no credentials")
      }
      return creds
    case "ram_role_arn", "oidc_role_arn":
      let origin = "\(path) [\(section)] (type \(type))"
      let provider = try await built.provider { try self.roleProvider(type: type, values: values, origin: origin) }
      guard let creds = try await provider.credentials() else {
        throw AlibabaCloudError.credentials("\(origin): \(provider.name) gave no credentials")
      }
      return creds
    default:
      throw AlibabaCloudError.credentials(
        "\(path) [\(section)]: type \(type) is not supported by certhook "
          + "(use access_key, sts, ecs_ram_role, ram_role_arn or oidc_role_arn)")
    }
  }

  private func roleProvider(type: String, values: [String: String], origin: String) throws -> any CredentialProvider {
    guard let roles else {
      throw AlibabaCloudError.credentials("\(origin): assuming a role needs STS, which this caller did not provide")
    }
    let fields = RoleProviders.RoleFields(
      roleArn: values["role_arn"], sessionName: values["role_session_name"], policy: values["policy"])
    if type == "oidc_role_arn" {
      return try roles.oidc(
        fields: fields, providerArn: values["oidc_provider_arn"], tokenFile: values["oidc_token_file_path"],
        origin: origin)
    }
    guard let id = values["access_key_id"], !id.isEmpty, let secret = values["access_key_secret"], !secret.isEmpty else {
      throw AlibabaCloudError.credentials("\(origin) needs access_key_id and access_key_secret")
    }
    let source = try CredentialValidation.check(
      AccessCredentials(accessKeyId: id, accessKeySecret: secret), source: origin,
      fields: .init(accessKeyId: "access_key_id", accessKeySecret: "access_key_secret", securityToken: "security_token"))
    return try roles.assumeRole(
      source: StaticCredentialProvider(source, name: "static", lookupDescription: origin), fields: fields, origin: origin)
  }

  /// Parses INI text into sections of key/value pairs (`#` and `;` start comments).
  static func parse(_ text: String) -> [String: [String: String]] {
    var result: [String: [String: String]] = [:]
    var current: String?
    for rawLine in text.split(whereSeparator: \.isNewline) {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("[") && line.hasSuffix("]") {
        let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        current = name
        result[name, default: [:]] = result[name, default: [:]]
        continue
      }
      guard let section = current, let eq = line.firstIndex(of: "=") else { continue }
      let key = line[..<eq].trimmingCharacters(in: .whitespaces)
      var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
      if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
        value = String(value.dropFirst().dropLast())
      }
      result[section, default: [:]][key] = value
    }
    return result
  }
}
