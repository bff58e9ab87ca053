import ArgumentParser
import CertHookCore
import Foundation

/// `certhook credentials`: the credential chain, inspected without using it for anything else.
struct CredentialsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "credentials",
    abstract: "Inspect the credential chain certhook would sign with.",
    subcommands: [CredentialsShowCommand.self])
}

/// `certhook credentials show`: which provider the chain resolves to and the AccessKey ID it yields (assuming any
/// configured role through STS), with SHA-256 digests of the secret and token instead of their values.
struct CredentialsShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Resolve the credentials and print the provider, AccessKey ID and expiry (never the secret or token).",
    discussion: """
      Chain (the official credentials SDK's order): ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (or ALICLOUD_*), the RRSA \
      OIDC role (ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE), \
      ~/.aliyun/config.json (modes AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC), \
      ~/.alibabacloud/credentials.ini or ~/.alibabacloud/credentials, then the ECS instance RAM role. The secret and the STS token are shown only as \
      SHA-256 digests, so two tools can be compared without printing either.

      Exit status: 0 resolved; 1 a network error; 64 usage, configuration or credential error (a role that cannot \
      be assumed names the role and the provider).
      """)

  @OptionGroup var output: OutputOptions

  @Option(
    name: .long,
    help: "Configuration file whose credentials: to use (default: CERTHOOK_CONFIG, else /etc/certhook/config.yaml when present).")
  var config: String?

  @OptionGroup var cloud: CloudOptions

  func validate() throws {
    if let config, config.isEmpty { throw ValidationError("--config must not be empty") }
  }

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    let summary: CredentialReport
    do {
      let loaded = try ConfigurationLoader.load(explicitPath: config, environment: environment, required: false)
      for warning in loaded?.warnings ?? [] { Diagnostics.warning(warning) }
      summary = try await CredentialReport.resolve(
        LifecycleSession.cloudOptions(cloud: cloud, loaded: loaded, environment: environment))
    } catch {
      throw LifecycleExit.fail(error, json: output.isJSON)
    }
    FileHandle.standardOutput.write(Data(Self.render(summary, json: output.isJSON).utf8))
  }

  static func render(_ summary: CredentialReport, json: Bool) -> String {
    let expiration = summary.expiration
    if json {
      let document = Document(
        provider: summary.provider, accessKeyId: summary.accessKeyId, accessKeySecretSha256: summary.secretSHA256,
        securityTokenSha256: summary.securityTokenSHA256, expiration: expiration)
      let data = (try? SortedJSONEncoder(prettyPrinted: false).encode(document)) ?? Data("{}".utf8)
      return String(decoding: data, as: UTF8.self) + "\n"
    }
    return """
      provider: \(summary.provider)
      accessKeyId: \(summary.accessKeyId)
      accessKeySecret: sha256 \(summary.secretSHA256) (not shown)
      securityToken: \(summary.securityTokenSHA256.map { "sha256 \($0) (not shown)" } ?? "none")
      expiration: \(expiration ?? "none (long-lived keys)")

      """
  }

  private struct Document: Encodable {
    let provider: String
    let accessKeyId: String
    let accessKeySecretSha256: String
    let securityTokenSha256: String?
    let expiration: String?

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(provider, forKey: .provider)
      try c.encode(accessKeyId, forKey: .accessKeyId)
      try c.encode(accessKeySecretSha256, forKey: .accessKeySecretSha256)
      try c.encode(securityTokenSha256, forKey: .securityTokenSha256)
      try c.encode(expiration, forKey: .expiration)
    }

    enum CodingKeys: String, CodingKey {
      case provider, accessKeyId, accessKeySecretSha256, securityTokenSha256, expiration
    }
  }
}
