import Foundation

/// RRSA: STS `AssumeRoleWithOIDC` with the OIDC token in a file (Kubernetes projects a fresh one there), read again
/// for every refresh, so a rotated token is always the one sent. The call is anonymous: no other credential is
/// needed. From `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, or an
/// aliyun CLI `OIDC` profile, or an INI `oidc_role_arn` section.
public struct OIDCRoleCredentialProvider: CredentialProvider {
  /// Provider name.
  public let name = "oidc-role-arn"
  /// The role and the token file.
  public var lookupDescription: String { "\(request.roleArn) with the token in \(tokenFile)" }
  /// What is asked of STS.
  public let request: RoleSessionRequest
  /// The OIDC provider ARN.
  public let providerArn: String
  /// The token file.
  public let tokenFile: String
  private let refresher: CredentialRefresher

  /// Creates the provider; `readFile` reads the token file at every refresh.
  public init(
    request: RoleSessionRequest, providerArn: String, tokenFile: String, readFile: @escaping FileReader, sts: STSAccess,
    stsRegion: String? = nil, enableVPC: Bool? = nil
  ) throws {
    self.request = request
    self.providerArn = providerArn
    self.tokenFile = tokenFile
    let client = try sts.client(
      credentials: StaticCredentialProvider(nil, name: "anonymous", lookupDescription: "none"), stsRegion: stsRegion,
      enableVPC: enableVPC)
    self.refresher = CredentialRefresher(
      providerName: "oidc-role-arn", subject: "\(request.roleArn) with the token in \(tokenFile)",
      runtime: sts.configuration.runtime, logger: sts.configuration.logger
    ) {
      guard let bytes = try readFile(tokenFile) else {
        throw AlibabaCloudError.credentials("the OIDC token file \(tokenFile) does not exist")
      }
      let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      guard !token.isEmpty else { throw AlibabaCloudError.credentials("the OIDC token file \(tokenFile) is empty") }
      return try await client.assumeRoleWithOIDC(request, providerArn: providerArn, token: token)
    }
  }

  /// The role's credentials, fetched again (with the token file read again) shortly before they expire.
  public func credentials() async throws -> AccessCredentials? {
    try await refresher.credentials()
  }

  /// The refresher (tests read its fetch count and refresh time).
  public var cache: CredentialRefresher { refresher }
}
