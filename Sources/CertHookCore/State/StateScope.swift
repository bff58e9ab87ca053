import Foundation

/// The cloud a cached fact belongs to: one CAS endpoint and one account.
///
/// Rule: a fact cached for one (CAS endpoint, account) is never read for another. The account is the AccessKeyId's
/// owner from STS `GetCallerIdentity`, or the AccessKeyId itself where that call is not allowed.
public struct StateScope: Sendable, Codable, Hashable {
  /// The CAS endpoint URL, e.g. `https://cas.aliyuncs.com`.
  public var casEndpoint: String
  /// `account:<AccountId>` from STS, or `accessKey:<AccessKeyId>` when STS could not say.
  public var account: String

  /// Creates a scope.
  public init(casEndpoint: String, account: String) {
    self.casEndpoint = casEndpoint
    self.account = account
  }

  /// A scope for a known account ID.
  public static func account(_ accountId: String, casEndpoint: String) -> StateScope {
    StateScope(casEndpoint: casEndpoint, account: "account:" + accountId)
  }

  /// A scope for an AccessKeyId whose owner could not be asked.
  public static func accessKey(_ accessKeyId: String, casEndpoint: String) -> StateScope {
    StateScope(casEndpoint: casEndpoint, account: "accessKey:" + accessKeyId)
  }

  /// The scope of stores opened without one (tests, the demo): never mixed with a real account's facts.
  public static let unscoped = StateScope(casEndpoint: "-", account: "-")

  /// The key of this scope in the state file.
  public var key: String { casEndpoint + " " + account }
}
