import CertificateKit
import Foundation

/// `certhook upload CERT --key KEY [--chain CHAIN]`: returns the CAS identity, uploading only when needed.
public struct UploadRunner: Sendable {
  /// Injected dependencies.
  public let context: RunnerContext

  /// Creates a runner.
  public init(context: RunnerContext) {
    self.context = context
  }

  /// Loads and checks the files (refusing unusable certificates before any API call), then maps or uploads.
  public func run(certificatePath: String, keyPath: String?, chainPath: String? = nil, dryRun: Bool = false)
    async throws -> MappedCertificate
  {
    let bundle = try LocalCertificates.load(certificatePath: certificatePath, keyPath: keyPath, chainPath: chainPath)
    let reasons = LocalCertificates.refusals(bundle, domains: [], now: context.now, policy: context.checkPolicy)
    guard reasons.isEmpty else { throw CertHookError.refused(reasons: reasons) }
    return try await context.mapper.ensureUploaded(bundle, dryRun: dryRun)
  }
}
