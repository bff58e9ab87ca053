import CertificateKit
import Foundation

/// `certhook detach`: remove one additional certificate from many listeners (never a default certificate).
public struct DetachRunner: Sendable {
  /// Injected dependencies.
  public let context: RunnerContext

  /// Creates a runner.
  public init(context: RunnerContext) {
    self.context = context
  }

  /// Plans and executes the dissociations.
  public func run(_ request: DetachRequest) async throws -> BatchResult {
    let targets =
      request.listeners.map { DeploymentTarget.listener($0) }
      + request.loadBalancers.map { DeploymentTarget.loadBalancer($0, protocols: nil, ports: nil) }
    guard !targets.isEmpty else {
      throw CertHookError.invalidArgument("name at least one --listener or --load-balancer")
    }
    let certificate: MappedCertificate
    switch request.certificate {
    case .files(let cert, let key, let chain):
      let bundle = try LocalCertificates.load(certificatePath: cert, keyPath: key, chainPath: chain)
      guard let found = try await context.mapper.find(bundle.leaf) else {
        throw CertHookError.invalidArgument("\(cert) is not in CAS, so it is attached nowhere")
      }
      certificate = found
    case .identifier(let id):
      certificate = try await CertificateReference.resolve(identifier: id, backend: context.backend)
    }
    let plan = await context.planner(catalog: context.catalog).planDetach(certificate: certificate, targets: targets)
    let report = await context.executor.execute(plan, dryRun: request.dryRun)
    return BatchResult(plan: plan, report: report)
  }
}
