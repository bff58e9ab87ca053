import Foundation

/// `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`, else the
/// `ALICLOUD_ACCESS_KEY` / `ALICLOUD_SECRET_KEY` / `ALICLOUD_SECURITY_TOKEN` names.
public struct EnvironmentCredentialProvider: CredentialProvider {
  /// Provider name.
  public let name = "environment"
  /// Variables looked at.
  public let lookupDescription = "ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_ACCESS_KEY/ALICLOUD_SECRET_KEY"
  private let environment: [String: String]

  /// Reads from the given environment dictionary.
  public init(environment: [String: String]) {
    self.environment = environment
  }

  /// Credentials from the first complete set of variables.
  public func credentials() async throws -> AccessCredentials? {
    let sets = [
      ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"),
      ("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"),
    ]
    for (idName, secretName, tokenName) in sets {
      let id = value(idName)
      let secret = value(secretName)
      switch (id, secret) {
      case (let id?, let secret?):
        return AccessCredentials(accessKeyId: id, accessKeySecret: secret, securityToken: value(tokenName))
      case (.some, nil):
        throw AlibabaCloudError.credentials("\(idName) is set but \(secretName) is not; set both")
      case (nil, .some):
        throw AlibabaCloudError.credentials("\(secretName) is set but \(idName) is not; set both")
      case (nil, nil):
        continue
      }
    }
    return nil
  }

  private func value(_ key: String) -> String? {
    guard let v = environment[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
    return v
  }
}
