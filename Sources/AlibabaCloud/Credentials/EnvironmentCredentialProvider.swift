import Foundation

/// `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`, else the
/// `ALICLOUD_ACCESS_KEY` / `ALICLOUD_SECRET_KEY` / `ALICLOUD_SECURITY_TOKEN` names, as `SessionEnvironment` reads them.
public struct EnvironmentCredentialProvider: CredentialProvider {
  /// Provider name.
  public let name = "environment"
  /// Variables looked at.
  public let lookupDescription = "ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_ACCESS_KEY/ALICLOUD_SECRET_KEY"
  private let environment: SessionEnvironment

  /// Reads from the given environment dictionary.
  public init(environment: [String: String]) {
    self.environment = SessionEnvironment(environment)
  }

  /// Reads from an environment already parsed.
  public init(environment: SessionEnvironment) {
    self.environment = environment
  }

  /// Credentials from the first complete set of variables, checked for unsendable bytes.
  public func credentials() async throws -> AccessCredentials? {
    guard let keys = try environment.accessKeys() else { return nil }
    let credentials = AccessCredentials(
      accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret, securityToken: keys.securityToken)
    return try CredentialValidation.check(
      credentials, source: "environment",
      fields: .init(accessKeyId: keys.idVariable, accessKeySecret: keys.secretVariable, securityToken: keys.tokenVariable))
  }
}
