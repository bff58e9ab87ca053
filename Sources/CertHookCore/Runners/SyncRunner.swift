import CertificateKit
import Foundation

/// `certhook sync`: for every deployment, the newest valid certificate converges on all its targets.
///
/// Idempotent: when everything is in place a run makes no API writes (mapping hits the state cache or CAS,
/// planning finds nothing to do).
public struct SyncRunner: Sendable {
  /// The configuration.
  public let configuration: CertHookConfiguration
  /// Injected dependencies.
  public let context: RunnerContext
  /// Whether a file exists (injected for tests; the CLI passes FileManager).
  public let fileExists: @Sendable (String) -> Bool

  /// Creates a runner (the configuration's limits are applied to the context).
  public init(
    configuration: CertHookConfiguration, context: RunnerContext,
    fileExists: @escaping @Sendable (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
  ) {
    self.configuration = configuration
    self.context = context.applying(configuration)
    self.fileExists = fileExists
  }

  /// Converges every deployment (or only those named in `only`).
  public func run(dryRun: Bool = false, only: [String] = []) async -> SyncResult {
    let catalog = context.catalog
    var plans: [DeploymentPlan] = []
    var reports: [DeploymentReport] = []
    var errors: [String] = []
    // First every deployment's certificate, then the changes: what one deployment deploys is never retired by
    // another whose names overlap (otherwise they would undo each other on every run).
    var selected: [(Deployment, MappedCertificate)] = []
    for deployment in configuration.deployments where only.isEmpty || only.contains(deployment.name) {
      do {
        guard let certificate = try await certificate(for: deployment, dryRun: dryRun) else {
          errors.append(
            "\(deployment.name): no valid certificate covering \(deployment.domains.joined(separator: ", ")) found")
          continue
        }
        selected.append((deployment, certificate))
      } catch {
        errors.append("\(deployment.name): \(error)")
      }
    }
    let deployed = Set(selected.map(\.1.identifier)).subtracting([MappedCertificate.pendingIdentifier])
    for (deployment, certificate) in selected {
      let (plan, report) = await context.deploy(
        certificate, targets: deployment.targets, mode: deployment.mode, replace: deployment.replace,
        deployment: deployment.name, dryRun: dryRun, catalog: catalog, protected: deployed)
      plans.append(plan)
      reports.append(report)
    }
    var report = DeploymentReport.merged(reports, dryRun: dryRun)
    report.errors += errors
    report.warnings = context.state.warnings + report.warnings
    return SyncResult(plans: plans, report: report)
  }

  /// The certificate a deployment should serve: its source's files (checked), or for a source-less deployment
  /// the newest valid CAS certificate covering all its domains.
  func certificate(for deployment: Deployment, dryRun: Bool) async throws -> MappedCertificate? {
    if let source = deployment.source,
      let files = SourceLocator.files(for: source, acmeShHome: context.acmeShHome, fileExists: fileExists)
    {
      let bundle = try LocalCertificates.load(
        certificatePath: files.certificate, keyPath: files.key, chainPath: files.chain)
      let reasons = LocalCertificates.refusals(
        bundle, domains: deployment.domains, now: context.now, policy: context.checkPolicy)
      guard reasons.isEmpty else { throw CertHookError.refused(reasons: reasons) }
      return try await context.mapper.ensureUploaded(bundle, dryRun: dryRun)
    }
    return try await newestInCAS(covering: deployment.domains)
  }

  private func newestInCAS(covering domains: [String]) async throws -> MappedCertificate? {
    guard var keyword = domains.first else { return nil }
    if keyword.hasPrefix("*.") { keyword.removeFirst(2) }
    let now = context.now
    var best: MappedCertificate?
    for summary in try await context.backend.searchCertificates(keyword: keyword) {
      if let end = summary.notAfter, end <= now { continue }
      guard let detail = try await context.backend.certificateDetail(certId: summary.certId) else { continue }
      let facts = CertificateCatalog.describe(detail: detail, identifier: detail.identifier)
      guard facts.namesSource == "pem", let end = facts.notAfter, end > now else { continue }
      if let start = detail.notBefore, start > now { continue }
      guard domains.allSatisfy({ HostnameMatcher.isCovered($0, by: facts.dnsNames) }) else { continue }
      let candidate = MappedCertificate(
        identifier: detail.identifier, certId: detail.certId, name: detail.name, sha256: facts.sha256,
        commonName: facts.commonName, dnsNames: facts.dnsNames, notBefore: detail.notBefore, notAfter: end)
      if let current = best?.notAfter, current >= end { continue }
      best = candidate
    }
    return best
  }
}
