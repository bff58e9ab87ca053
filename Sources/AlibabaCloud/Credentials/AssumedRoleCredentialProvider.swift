import Foundation

/// STS `AssumeRole` on top of another provider (the source identity: keys, a profile, another assumed role, so
/// roles chain): the role's temporary credentials, kept fresh by a `CredentialRefresher`.
public struct AssumedRoleCredentialProvider: CredentialProvider {
  /// Provider name.
  public let name = "ram-role-arn"
  /// The role and where the source identity comes from.
  public var lookupDescription: String { "\(request.roleArn) via \(source.name)" }
  /// What is asked of STS.
  public let request: RoleSessionRequest
  /// The identity that signs `AssumeRole`.
  public let source: any CredentialProvider
  private let refresher: CredentialRefresher

  /// Creates the provider; `sts` reaches STS (`stsRegion` / `enableVPC` as the profile gives them).
  public init(
    source: any CredentialProvider, request: RoleSessionRequest, sts: STSAccess, stsRegion: String? = nil,
    enableVPC: Bool? = nil
  ) throws {
    self.source = source
    self.request = request
    let client = try sts.client(credentials: source, stsRegion: stsRegion, enableVPC: enableVPC)
    self.refresher = CredentialRefresher(
      providerName: "ram-role-arn", subject: "\(request.roleArn) via \(source.name)",
      runtime: sts.configuration.runtime, logger: sts.configuration.logger
    ) { try await client.assumeRole(request) }
  }

  /// The role's credentials, fetched again shortly before they expire.
  public func credentials() async throws -> AccessCredentials? {
    try await refresher.credentials()
  }

  /// The refresher (tests read its fetch count and refresh time).
  public var cache: CredentialRefresher { refresher }
}
