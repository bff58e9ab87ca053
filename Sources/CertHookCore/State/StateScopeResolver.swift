import AlibabaCloud
import Foundation
import Logging

/// Finds the `StateScope` of a run: the CAS endpoint and the account that owns the credentials.
///
/// Rule: the account is asked from STS `GetCallerIdentity` (one attempt); where that call is not allowed or fails,
/// the AccessKeyId stands in for it, so facts cached under one key are never read under another.
public enum StateScopeResolver {
  /// The scope for `casEndpoint` and the credentials behind `sts` (or `credentials` when STS cannot say).
  public static func resolve(
    casEndpoint: URL, sts: STSClient?, credentials: any CredentialProvider, logger: Logger
  ) async -> StateScope {
    let endpoint = casEndpoint.absoluteString
    if let sts {
      do {
        let identity = try await sts.getCallerIdentity()
        logger.info("state cache scoped to the caller's account", metadata: ["accountId": "\(identity.accountId)"])
        return .account(identity.accountId, casEndpoint: endpoint)
      } catch {
        logger.notice("STS GetCallerIdentity failed; the state cache is keyed by the AccessKeyId instead: \(error)")
      }
    }
    let keyId = (try? await credentials.credentials())?.accessKeyId ?? "unknown"
    return .accessKey(keyId, casEndpoint: endpoint)
  }
}
