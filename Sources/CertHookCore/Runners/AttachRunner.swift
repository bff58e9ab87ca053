import CertificateKit
import Foundation

/// `certhook attach`: put one certificate on many listeners, retiring what it supersedes.
public struct AttachRunner: Sendable {
  /// Injected dependencies.
  public let context: RunnerContext

  /// Creates a runner.
  public init(context: RunnerContext) {
    self.context = context
  }

  /// Maps (uploading when needed, unless dry run), plans and executes.
  public func run(_ request: AttachRequest) async throws -> BatchResult {
    guard !request.targets.isEmpty else {
      throw CertHookError.invalidArgument("name at least one --listener or --load-balancer")
    }
    let certificate: MappedCertificate
    switch request.certificate {
    case .files(let cert, let key, let chain):
      let bundle = try LocalCertificates.load(certificatePath: cert, keyPath: key, chainPath: chain)
      var reasons = LocalCertificates.refusals(bundle, domains: [], now: context.now, policy: context.checkPolicy)
      if bundle.key == nil, let found = try await context.mapper.find(bundle.leaf) {
        // Already in CAS: the key is not needed.
        reasons.removeAll { $0.contains("no private key") }
        guard reasons.isEmpty else { throw CertHookError.refused(reasons: reasons) }
        certificate = found
      } else {
        guard reasons.isEmpty else { throw CertHookError.refused(reasons: reasons) }
        certificate = try await context.mapper.ensureUploaded(bundle, dryRun: request.dryRun)
      }
    case .identifier(let id):
      certificate = try await CertificateReference.resolve(identifier: id, backend: context.backend)
      if let end = certificate.notAfter, end <= context.now {
        throw CertHookError.refused(reasons: ["\(id) expired on \(end)"])
      }
    }
    let (plan, report) = await context.deploy(
      certificate, targets: request.targets, mode: request.mode, replace: request.replace, deployment: nil,
      dryRun: request.dryRun, catalog: context.catalog)
    return BatchResult(plan: plan, report: report)
  }
}
