import Foundation

extension EmulatorEngine {
  /// STS `GetCallerIdentity` (2015-04-01): who signed the request. The account comes from the seed's key
  /// (`accountId`) or `EmulatorSeed.defaultAccountId`; an STS key answers as an assumed role, any other as a RAM user.
  func getCallerIdentity(_ call: ApiCall) -> ApiOutcome {
    let key = accessKeys[call.caller.accessKeyId]
    let account = key?.accountId ?? EmulatorSeed.defaultAccountId
    let principal = "2" + String(String(UInt64(truncatingIfNeeded: stableHash(call.caller.accessKeyId))).suffix(15))
    if key?.securityToken != nil {
      return ApiOutcome(fields: [
        ("AccountId", .string(account)),
        ("Arn", .string("acs:ram::\(account):assumed-role/certhook-emulator/\(call.caller.accessKeyId)")),
        ("IdentityType", .string("AssumedRoleUser")),
        ("PrincipalId", .string("\(principal):\(call.caller.accessKeyId)")),
        ("RoleId", .string(principal)),
      ])
    }
    return ApiOutcome(fields: [
      ("AccountId", .string(account)),
      ("Arn", .string("acs:ram::\(account):user/\(call.caller.accessKeyId)")),
      ("IdentityType", .string("RAMUser")),
      ("PrincipalId", .string(principal)),
      ("UserId", .string(principal)),
    ])
  }

  /// FNV-1a of the key ID: the same key always gets the same principal ID, across restarts.
  private func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}
