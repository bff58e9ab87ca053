import AlibabaCloud
import Foundation

/// What `certhook credentials show` reports: the provider the chain resolved to, the AccessKey ID, SHA-256 digests
/// of the secret and the STS token (never their values) and the expiry as ISO 8601 text.
public struct CredentialReport: Sendable, Equatable {
  /// The winning provider, e.g. `aliyun-cli-profile`.
  public var provider: String
  /// The AccessKey ID (not a secret).
  public var accessKeyId: String
  /// Hex SHA-256 of the AccessKey secret.
  public var secretSHA256: String
  /// Hex SHA-256 of the STS token, nil without one.
  public var securityTokenSHA256: String?
  /// When the credentials expire (`2026-01-02T03:04:05Z`), nil for long-lived keys.
  public var expiration: String?

  /// Resolves only the credentials `options` select (no ALB or CAS client is opened, so no region is needed);
  /// role modes reach STS like a full session would.
  public static func resolve(_ options: RunSessionOptions) async throws -> CredentialReport {
    let request = SessionRequestBuilder.request(
      cloud: options.cloud, configuration: options.configuration, configurationPath: options.configurationPath,
      retries: options.onRetry)
    let summary = try await CloudSession.resolveCredentials(
      request, environment: options.environment, runtime: .system, logger: options.logger)
    return CredentialReport(
      provider: summary.provider, accessKeyId: summary.accessKeyId, secretSHA256: summary.secretSHA256,
      securityTokenSHA256: summary.securityTokenSHA256, expiration: summary.expiration.map(AcsTimestamp.iso8601))
  }
}
