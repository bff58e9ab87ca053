import Foundation

extension EmulatorEngine {
  /// STS `GetCallerIdentity` (2015-04-01): who signed the request. The account comes from the seed's key
  /// (`accountId`) or `EmulatorSeed.defaultAccountId`; a credential the emulator issued answers as its assumed role,
  /// a seed STS key as an anonymous assumed role, any other key as a RAM user.
  func getCallerIdentity(_ call: ApiCall) -> ApiOutcome {
    if let session = issued[call.caller.accessKeyId] {
      return ApiOutcome(fields: [
        ("AccountId", .string(session.accountId)),
        ("Arn", .string(session.assumedRoleArn)),
        ("IdentityType", .string("AssumedRoleUser")),
        ("PrincipalId", .string("\(session.roleId):\(session.sessionName)")),
        ("RoleId", .string(session.roleId)),
      ])
    }
    let key = accessKeys[call.caller.accessKeyId]
    let account = key?.accountId ?? EmulatorSeed.defaultAccountId
    let principal = principalId(call.caller.accessKeyId)
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

  /// STS `AssumeRole`: the caller (a seed key or an issued STS credential) gets short-lived credentials of a seed
  /// role whose trust names the caller's account, user or role; anything else is `NoPermission`.
  func assumeRole(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let role = try seedRole(call.params)
    let session = try sessionName(call.params)
    let duration = try durationSeconds(call.params, role: role)
    try checkPolicy(call.params)
    let (account, principal) = callerPrincipal(call.caller.accessKeyId)
    let trusted = role.trust.contains { entry in
      entry == "*" || entry == account || entry == "acs:ram::\(account):root" || entry == principal
    }
    guard trusted else { throw Self.noPermission(role.arn) }
    if let expected = role.externalId, call.params.string("ExternalId") != expected {
      throw Self.noPermission(role.arn)
    }
    return issue(role: role, session: session, duration: duration, now: call.now, extra: [])
  }

  /// STS `AssumeRoleWithOIDC` (anonymous): an OIDC token whose issuer and subject the role's OIDC trust accepts,
  /// through the provider it names, gets short-lived credentials of that role.
  func assumeRoleWithOIDC(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let providerArn = try call.params.required("OIDCProviderArn")
    let token = try call.params.required("OIDCToken")
    guard (4...20000).contains(token.count) else {
      throw ApiError(400, "InvalidParameter.OIDCToken", "The parameter OIDCToken is wrong.")
    }
    let role = try seedRole(call.params)
    let session = try sessionName(call.params)
    let duration = try durationSeconds(call.params, role: role)
    try checkPolicy(call.params)
    guard roles.values.contains(where: { $0.oidc?.provider == providerArn }) else {
      throw ApiError(404, "EntityNotExist.OIDCProvider", "The specified OIDC provider does not exist: \(providerArn).")
    }
    guard let claims = OIDCTokenClaims(token: token) else {
      throw ApiError(400, "AuthenticationFail.OIDCToken.Invalid", "The OIDC token is not a valid JWT.")
    }
    guard claims.expiresAt > call.now else {
      throw ApiError(400, "AuthenticationFail.OIDCToken.Expired", "The OIDC token is expired.")
    }
    guard let trust = role.oidc, trust.provider == providerArn else { throw Self.noPermission(role.arn) }
    guard claims.issuer == trust.issuer else {
      throw ApiError(
        400, "AuthenticationFail.OIDCToken.Invalid", "The issuer of the OIDC token does not match the OIDC provider.")
    }
    guard trust.subjects.isEmpty || trust.subjects.contains(claims.subject) else { throw Self.noPermission(role.arn) }
    var info: [(String, ResponseJSON)] = [
      ("Issuer", .string(claims.issuer)), ("Subject", .string(claims.subject)),
      ("ClientIds", .string(claims.audiences.joined(separator: ","))),
      ("ExpirationTime", .string(TimeFormats.wholeSeconds(claims.expiresAt))),
    ]
    if let issuedAt = claims.issuedAt { info.append(("IssuanceTime", .string(TimeFormats.wholeSeconds(issuedAt)))) }
    return issue(
      role: role, session: session, duration: duration, now: call.now, extra: [("OIDCTokenInfo", .object(info))])
  }

  /// Mints a credential of `role`, registers it with the verifier and answers the STS shape.
  private func issue(
    role: EmulatorSeed.Role, session: String, duration: Int, now: Date, extra: [(String, ResponseJSON)]
  ) -> ApiOutcome {
    let lifetime = stsLifetime ?? TimeInterval(duration)
    let expiration = now.addingTimeInterval(lifetime)
    let id = "STS.NU" + stsRandom.token(22)
    let secret = stsRandom.token(44)
    let token = "CAIS" + stsRandom.token(120)
    let account = role.accountId ?? EmulatorSeed.defaultAccountId
    let roleName = role.name ?? "role"
    let roleId = principalId(role.arn)
    verifier.register(EmulatorSeed.AccessKey(id: id, secret: secret, securityToken: token, accountId: account), expiration: expiration)
    let record = IssuedSession(
      accessKeyId: id, roleArn: role.arn, accountId: account, roleName: roleName, roleId: roleId, sessionName: session,
      expiration: expiration)
    issued[id] = record
    return ApiOutcome(
      fields: [
        (
          "Credentials",
          .object([
            ("AccessKeyId", .string(id)), ("AccessKeySecret", .string(secret)), ("SecurityToken", .string(token)),
            ("Expiration", .string(TimeFormats.wholeSeconds(expiration))),
          ])
        ),
        (
          "AssumedRoleUser",
          .object([("Arn", .string(record.assumedRoleArn)), ("AssumedRoleId", .string("\(roleId):\(session)"))])
        ),
      ] + extra)
  }

  private func seedRole(_ params: Parameters) throws(ApiError) -> EmulatorSeed.Role {
    let arn = try params.required("RoleArn")
    guard EmulatorSeed.RoleName.parse(arn) != nil else {
      throw ApiError(400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrong.")
    }
    guard let role = roles[arn.lowercased()] else {
      throw ApiError(404, "EntityNotExist.Role", "The role not exists: \(arn).")
    }
    return role
  }

  private func sessionName(_ params: Parameters) throws(ApiError) -> String {
    let name = try params.required("RoleSessionName")
    let allowed = name.unicodeScalars.allSatisfy { scalar in
      scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "_.@-".unicodeScalars.contains(scalar))
    }
    guard (2...64).contains(name.count), allowed else {
      throw ApiError(400, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrong.")
    }
    return name
  }

  private func durationSeconds(_ params: Parameters, role: EmulatorSeed.Role) throws(ApiError) -> Int {
    guard let text = params.string("DurationSeconds") else { return min(3600, role.maxSessionDuration) }
    guard let value = Int(text), (900...role.maxSessionDuration).contains(value) else {
      throw ApiError(
        400, "InvalidParameter.DurationSeconds",
        "The parameter DurationSeconds is wrong: it must be between 900 and \(role.maxSessionDuration) seconds.")
    }
    return value
  }

  private func checkPolicy(_ params: Parameters) throws(ApiError) {
    guard let policy = params.string("Policy") else { return }
    guard policy.utf8.count <= 2048, let data = policy.data(using: .utf8),
      (try? JSONSerialization.jsonObject(with: data)) is [String: Any]
    else {
      throw ApiError(400, "InvalidParameter.PolicyGrammar", "The parameter Policy has a grammar error.")
    }
  }

  /// The caller's account and principal ARN: an issued credential is its role, a seed key a RAM user.
  private func callerPrincipal(_ accessKeyId: String) -> (account: String, principal: String) {
    if let session = issued[accessKeyId] { return (session.accountId, session.roleArn) }
    let account = accessKeys[accessKeyId]?.accountId ?? EmulatorSeed.defaultAccountId
    return (account, "acs:ram::\(account):user/\(accessKeyId)")
  }

  static func noPermission(_ roleArn: String) -> ApiError {
    ApiError(403, "NoPermission", "No permission perform sts:AssumeRole on this Role: \(roleArn).")
  }

  /// A stable numeric ID for a key or role (FNV-1a), the same across restarts.
  private func principalId(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return "2" + String(String(hash).suffix(15))
  }
}
