import Foundation

/// Client for the Security Token Service, STS (version 2015-04-01): only `GetCallerIdentity`, to learn which
/// account an AccessKey belongs to.
///
/// Rule: one attempt, no retries: the answer only sharpens a cache key, and a caller that cannot ask STS falls back
/// to the AccessKeyId rather than waiting.
public struct STSClient: Sendable {
  /// The API version.
  public static let version = "2015-04-01"

  /// The underlying RPC client.
  public let rpc: AcsRPCClient

  /// Creates a client for `endpoint` (see `STSClient.defaultEndpoint`), sharing `configuration`'s limiter and
  /// runtime but never retrying.
  public init(
    endpoint: URL, configuration: ClientConfiguration, credentials: any CredentialProvider,
    transport: any HTTPTransport
  ) throws {
    try EndpointPolicy.validate(endpoint)
    var single = configuration
    single.retryPolicy.maxAttempts = 1
    self.rpc = AcsRPCClient(
      endpoint: endpoint, version: Self.version, credentials: credentials, transport: transport, configuration: single)
  }

  /// `https://sts.aliyuncs.com`, or `https://sts.<region>.aliyuncs.com` for an STS region
  /// (`ALIBABA_CLOUD_STS_REGION`).
  public static func defaultEndpoint(region: String?) throws -> URL {
    var text = "https://sts.aliyuncs.com"
    if let region, !region.isEmpty {
      try ClientConfiguration.validateRegion(region)
      text = "https://sts.\(region).aliyuncs.com"
    }
    guard let url = URL(string: text) else { throw AlibabaCloudError.configuration("cannot build endpoint url \(text)") }
    return url
  }

  /// The identity behind the credentials.
  public func getCallerIdentity() async throws -> CallerIdentity {
    let json = try await rpc.call("GetCallerIdentity", parameters: [])
    guard let account = CASFields.nonEmpty(json["AccountId"]) else {
      throw AlibabaCloudError(
        kind: .invalidResponse, action: "GetCallerIdentity",
        message: "answer has no AccountId (request id \(json["RequestId"]?.string ?? "-"))")
    }
    return CallerIdentity(
      accountId: account, arn: CASFields.nonEmpty(json["Arn"]), identityType: CASFields.nonEmpty(json["IdentityType"]),
      principalId: CASFields.nonEmpty(json["PrincipalId"]),
      userId: CASFields.nonEmpty(json["UserId"]) ?? CASFields.nonEmpty(json["RoleId"]))
  }
}
