import Foundation

extension STSClient {
  /// `AssumeRole`, signed with this client's credentials (the source identity): the role's temporary credentials.
  public func assumeRole(_ request: RoleSessionRequest) async throws -> AccessCredentials {
    var parameters: [(String, String)] = [
      ("RoleArn", request.roleArn), ("RoleSessionName", request.sessionName),
      ("DurationSeconds", String(request.durationSeconds)),
    ]
    if let policy = request.policy { parameters.append(("Policy", policy)) }
    if let externalId = request.externalId { parameters.append(("ExternalId", externalId)) }
    let json = try await rpc.call("AssumeRole", parameters: parameters)
    return try Self.credentials(in: json, action: "AssumeRole")
  }

  /// `AssumeRoleWithOIDC`, an anonymous call (the OIDC token is the proof, nothing is signed), as the official
  /// credentials SDK sends it: `GET` with `Action`, `Format`, `Version`, `Timestamp` and the parameters in the query.
  public func assumeRoleWithOIDC(
    _ request: RoleSessionRequest, providerArn: String, token: String
  ) async throws -> AccessCredentials {
    let action = "AssumeRoleWithOIDC"
    var parameters: [(String, String)] = [
      ("Action", action), ("Format", "JSON"), ("Version", Self.version),
      ("Timestamp", AcsTimestamp.iso8601(rpc.configuration.runtime.now())), ("DurationSeconds", String(request.durationSeconds)),
      ("RoleArn", request.roleArn), ("OIDCProviderArn", providerArn), ("OIDCToken", token),
      ("RoleSessionName", request.sessionName),
    ]
    if let policy = request.policy { parameters.append(("Policy", policy)) }
    try await rpc.configuration.rateLimiter.acquire(action)
    var base = rpc.endpoint.absoluteString
    if !base.hasSuffix("/") { base += "/" }
    guard let url = URL(string: base + "?" + AcsPercentEncoding.canonicalQuery(parameters)) else {
      throw AlibabaCloudError.configuration("cannot build a request url from endpoint \(rpc.endpoint.absoluteString)")
    }
    let redactor = SecretRedactor(secrets: [token])
    let response: HTTPResponseSpec
    do {
      response = try await rpc.transport.send(
        HTTPRequestSpec(
          method: "GET", url: url,
          headers: [("accept", "application/json"), ("user-agent", rpc.configuration.userAgent)]))
    } catch var error as AlibabaCloudError {
      error.action = error.action ?? action
      error.message = redactor.clean(error.message)
      throw error
    }
    let json = try rpc.interpret(response, action: action, attempt: 1, redactor: redactor)
    return try Self.credentials(in: json, action: action)
  }

  /// The `Credentials` object of an STS answer, with `Expiration` parsed (`yyyy-MM-ddTHH:mm:ssZ`).
  static func credentials(in json: JSONValue, action: String) throws -> AccessCredentials {
    guard let object = json["Credentials"], let id = CASFields.nonEmpty(object["AccessKeyId"]),
      let secret = CASFields.nonEmpty(object["AccessKeySecret"]), let token = CASFields.nonEmpty(object["SecurityToken"])
    else {
      throw AlibabaCloudError(
        kind: .invalidResponse, action: action,
        message: "answer has no complete Credentials (request id \(json["RequestId"]?.string ?? "-"))")
    }
    guard let expiration = object["Expiration"]?.string.flatMap(AcsTimestamp.parse) else {
      throw AlibabaCloudError(
        kind: .invalidResponse, action: action,
        message: "answer has no valid Credentials.Expiration (request id \(json["RequestId"]?.string ?? "-"))")
    }
    let credentials = AccessCredentials(
      accessKeyId: id, accessKeySecret: secret, securityToken: token, expiration: expiration)
    return try CredentialValidation.check(
      credentials, source: "sts \(action)",
      fields: .init(accessKeyId: "AccessKeyId", accessKeySecret: "AccessKeySecret", securityToken: "SecurityToken"))
  }
}
