import Foundation

/// One STS credential the emulator issued: whose role it is, for which session, until when. Requests signed with
/// it are verified like a seed STS key (token required) and refused with `InvalidSecurityToken.Expired` after
/// `expiration`; `GetCallerIdentity` answers with the assumed role.
struct IssuedSession: Sendable, Equatable {
  var accessKeyId: String
  var roleArn: String
  var accountId: String
  var roleName: String
  var roleId: String
  var sessionName: String
  var expiration: Date

  /// `acs:ram::<account>:assumed-role/<role>/<session>`.
  var assumedRoleArn: String { "acs:ram::\(accountId):assumed-role/\(roleName)/\(sessionName)" }
}
