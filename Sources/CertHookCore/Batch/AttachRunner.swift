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
    // The certificate's own checks first (no API call), then every target, and only then an upload.
    let certificate: MappedCertificate
    switch request.certificate {
    case .files(let cert, let key, let chain):
      let bundle = try LocalCertificates.load(certificatePath: cert, keyPath: key, chainPath: chain)
      let reasons = LocalCertificates.refusals(bundle, domains: [], now: context.now, policy: context.checkPolicy)
      let missingKey = reasons.filter { $0.contains("no private key") }
      guard reasons.count == missingKey.count else { throw CertHookError.refused(reasons: reasons) }
      try await checkTargets(request.targets)
      if bundle.key == nil, let found = try await context.mapper.find(bundle.leaf) {
        // Already in CAS: the key is not needed.
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
      try await checkTargets(request.targets)
    }
    let (plan, report) = await context.deploy(
      certificate, targets: request.targets, mode: request.mode, replace: request.replace, deployment: nil,
      dryRun: request.dryRun, catalog: context.catalog)
    return BatchResult(plan: plan, report: report)
  }

  /// Throws (nothing uploaded, nothing changed) when a named listener does not exist or carries no certificates,
  /// or a named load balancer has no matching listener.
  func checkTargets(_ targets: [DeploymentTarget]) async throws {
    let problems = await TargetCheck(backend: context.backend, concurrency: context.concurrency).problems([targets])
    let all = problems.joined()
    guard all.isEmpty else {
      throw CertHookError.invalidArgument(all.joined(separator: "; ") + "; nothing was uploaded or changed")
    }
  }
}
