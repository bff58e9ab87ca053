import Foundation

/// One entry of `accounts:`: a name that targets use (`account: NAME`) and where that account's credentials come
/// from, in the same shapes as `credentials:` (keys, a profile, the environment, the standard chain, and an
/// optional `assumeRole` on top). Names are unique; the decoder refuses a target naming an unknown account.
public struct AccountSettings: Sendable, Codable, Equatable {
  /// The name targets refer to (`deployments[i].targets[j].account`).
  public var name: String
  /// The account's credential source (and role).
  public var credentials: CredentialSettings

  /// Creates an account entry.
  public init(name: String, credentials: CredentialSettings = CredentialSettings()) {
    self.name = name
    self.credentials = credentials
  }
}

extension AccountSettings {
  /// Decodes one `accounts[i]`: a name (not empty, not `default`) and the credential keys of `credentials:`.
  public init(from decoder: any Decoder) throws {
    let credentials = try CredentialSettings.read(decoder, extraKeys: ["name"])
    let fields = try ConfigurationFields(decoder, known: nil)
    guard let name = try fields.string("name") else {
      throw fields.error("name", "missing; every account needs a name")
    }
    guard !name.isEmpty, name != "default" else {
      throw fields.error("name", "must not be empty or \"default\" (targets without `account` use the default)")
    }
    self.init(name: name, credentials: credentials)
  }
}
