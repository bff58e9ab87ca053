import Foundation

/// The answer of STS `GetCallerIdentity`: the account that owns the calling AccessKey.
public struct CallerIdentity: Sendable, Equatable {
  /// Creates a value.
  public init(
    accountId: String, arn: String? = nil, identityType: String? = nil, principalId: String? = nil, userId: String? = nil
  ) {
    self.accountId = accountId
    self.arn = arn
    self.identityType = identityType
    self.principalId = principalId
    self.userId = userId
  }

  /// The account ID.
  public var accountId: String
  /// `acs:ram::<account>:user/<name>` and the like.
  public var arn: String?
  /// `Account`, `RAMUser` or `AssumedRoleUser`.
  public var identityType: String?
  /// The principal ID.
  public var principalId: String?
  /// The user (or role) ID.
  public var userId: String?
}
