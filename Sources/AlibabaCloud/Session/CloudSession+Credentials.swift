import Foundation
import Logging

/// What a credential chain resolved to, safe to show: the provider's name, the AccessKey ID, SHA-256 digests of the
/// secret and token (so two tools can be compared without either secret being printed) and the expiry.
public struct ResolvedCredentialSummary: Sendable, Equatable {
  /// The winning provider, e.g. `aliyun-cli-profile`.
  public var provider: String
  /// The AccessKey ID (not a secret).
  public var accessKeyId: String
  /// Hex SHA-256 of the AccessKey secret.
  public var secretSHA256: String
  /// Hex SHA-256 of the STS token, nil without one.
  public var securityTokenSHA256: String?
  /// When the credentials expire, nil for long-lived keys.
  public var expiration: Date?

  /// Summarises `credentials` from `provider`.
  public init(provider: String, credentials: AccessCredentials) {
    self.provider = provider
    self.accessKeyId = credentials.accessKeyId
    self.secretSHA256 = Hashing.sha256Hex(Array(credentials.accessKeySecret.utf8))
    self.securityTokenSHA256 = credentials.securityToken.map { Hashing.sha256Hex(Array($0.utf8)) }
    self.expiration = credentials.expiration
  }
}

extension CloudSession {
  /// Resolves only the credentials `request` selects (no ALB or CAS client is opened, so no region is needed),
  /// over fresh transports it shuts down again; role modes reach STS like a full session would.
  public static func resolveCredentials(
    _ request: SessionRequest, environment: [String: String], homeDirectory: String? = nil, runtime: ClientRuntime,
    logger: Logger
  ) async throws -> ResolvedCredentialSummary {
    let parsed = SessionEnvironment(environment)
    let home = homeDirectory ?? parsed.home ?? NSHomeDirectory()
    return try await withTransports(request) { transport, metadataTransport in
      let cas = try request.endpointOverride(.cas, environment: parsed)
      let sts = try request.endpointOverride(.sts, environment: parsed) ?? loopback(cas)
      let region = (request.commandLine.region ?? request.configuration.region ?? parsed.region) ?? "cn-hangzhou"
      let configuration = ClientConfiguration(
        region: region, rateLimits: request.tuning.rateLimits, runtime: runtime, logger: logger,
        userAgent: request.userAgent)
      let (_, resolved) = try await resolveCredentials(
        request.credentials, environment: parsed, homeDirectory: home, configuration: configuration,
        transport: transport, stsEndpoint: sts, metadataTransport: metadataTransport)
      return ResolvedCredentialSummary(provider: resolved.provider, credentials: resolved.credentials)
    }
  }
}
