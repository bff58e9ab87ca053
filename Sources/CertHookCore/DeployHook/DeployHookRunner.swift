import CertificateKit
import Foundation

/// `certhook deploy-hook`: picks the deployments matching a renewed certificate, inspects it, maps it, deploys it.
public struct DeployHookRunner: Sendable {
  /// The configuration.
  public let configuration: CertHookConfiguration
  /// Injected dependencies.
  public let context: RunnerContext

  /// Creates a runner (the configuration's limits are applied to the context).
  public init(configuration: CertHookConfiguration, context: RunnerContext) {
    self.configuration = configuration
    self.context = context.applying(configuration)
  }

  /// The deployments a certificate matches: by source when they name one, else by covering all their domains.
  public func matchingDeployments(for invocation: HookInvocation, leaf: Certificate) -> [Deployment] {
    Self.matchingDeployments(in: configuration, for: invocation, leaf: leaf, acmeShHome: context.acmeShHome)
  }

  static func matchingDeployments(
    in configuration: CertHookConfiguration, for invocation: HookInvocation, leaf: Certificate, acmeShHome: String?
  ) -> [Deployment] {
    configuration.deployments.filter { matches($0, invocation: invocation, leaf: leaf, acmeShHome: acmeShHome) }
  }

  static func matches(_ d: Deployment, invocation: HookInvocation, leaf: Certificate, acmeShHome: String?) -> Bool {
    let names = (leaf.dnsNames + leaf.ipAddresses).map { $0.lowercased() }
    func coversAll() -> Bool { !d.domains.isEmpty && d.domains.allSatisfy { HostnameMatcher.isCovered($0, by: names) } }
    switch d.source {
    case nil, .domainMatch?:
      return coversAll()
    case .certbotLineage(let dir)?:
      if let lineage = invocation.lineage {
        return SourceLocator.normalized(lineage) == SourceLocator.normalized(dir)
      }
      return SourceLocator.normalized((invocation.certificatePath as NSString).deletingLastPathComponent)
        == SourceLocator.normalized(dir)
    case .acmeShDomain(let domain, let home)?:
      guard invocation.client == .acmeSh || invocation.client == .explicit else { return false }
      if invocation.domains.first == domain.lowercased() { return true }
      let base = SourceLocator.normalized(home ?? acmeShHome ?? "~/.acme.sh")
      let dir = SourceLocator.normalized((invocation.certificatePath as NSString).deletingLastPathComponent)
      return dir == "\(base)/\(domain)" || dir == "\(base)/\(domain)_ecc"
    case .files(let cert, _, _)?:
      return SourceLocator.normalized(cert) == SourceLocator.normalized(invocation.certificatePath)
    }
  }

  /// The deployments of `configuration` that `invocation`'s certificate matches, after the local checks every one
  /// of them needs; throws the refusal (or that nothing matches) without any API call.
  public static func inspect(
    _ invocation: HookInvocation, configuration: CertHookConfiguration, settings: HookInspection
  ) throws -> [Deployment] {
    try inspected(invocation, configuration: configuration, settings: settings).matched
  }

  private static func inspected(
    _ invocation: HookInvocation, configuration: CertHookConfiguration, settings: HookInspection
  ) throws -> (bundle: CertificateBundle, matched: [Deployment]) {
    let bundle = try LocalCertificates.load(
      certificatePath: invocation.certificatePath, keyPath: invocation.keyPath, chainPath: invocation.chainPath)
    func matchingDeployments(for invocation: HookInvocation, leaf: Certificate) -> [Deployment] {
      Self.matchingDeployments(in: configuration, for: invocation, leaf: leaf, acmeShHome: settings.acmeShHome)
    }
    let matched = matchingDeployments(for: invocation, leaf: bundle.leaf)
    guard !matched.isEmpty else {
      // A fullchain written in the wrong order (issuer first) is a refusal, not "no deployment": say so.
      if let index = bundle.chain.firstIndex(where: { !matchingDeployments(for: invocation, leaf: $0).isEmpty }) {
        throw CertHookError.refused(reasons: [
          "\(invocation.certificatePath): certificates out of order: the first one (\(bundle.leaf.subject.rfc4514)) is "
            + "not the leaf; certificate #\(index + 2) (\(bundle.chain[index].subject.rfc4514)) is, so put it first, "
            + "followed by its issuers"
        ])
      }
      // A CA certificate as the leaf (a chain file handed over as the certificate) names no host: that is a
      // refusal of the certificate (exit 2, `caAsLeaf`), not a missing deployment.
      let caReasons = LocalCertificates.refusals(bundle, domains: [], now: settings.now, policy: settings.policy)
        .filter { $0.contains("[\(FindingCode.caAsLeaf.rawValue)]") }
      if !caReasons.isEmpty { throw CertHookError.refused(reasons: caReasons) }
      let names = (bundle.leaf.dnsNames).joined(separator: ", ")
      throw CertHookError.noMatchingDeployment(
        "no deployment in the configuration matches \(invocation.certificatePath) (names: \(names)); "
          + "add one whose source or domains fit it")
    }
    var reasons: [String] = []
    for deployment in matched {
      for reason in LocalCertificates.refusals(
        bundle, domains: deployment.domains, now: settings.now, policy: settings.policy)
      where !reasons.contains(reason) {
        reasons.append(reason)
      }
    }
    guard reasons.isEmpty else { throw CertHookError.refused(reasons: reasons) }
    return (bundle, matched)
  }

  /// Inspects first and refuses (making zero API calls) when the certificate is unusable for any matched
  /// deployment; then maps it once and deploys every matched deployment.
  public func run(_ invocation: HookInvocation, dryRun: Bool = false) async throws -> DeployHookResult {
    let (bundle, matched) = try Self.inspected(
      invocation, configuration: configuration,
      settings: HookInspection(now: context.now, policy: context.checkPolicy, acmeShHome: context.acmeShHome))
    let certificate = try await context.mapper.ensureUploaded(bundle, dryRun: dryRun)
    let catalog = context.catalog
    let runContext = context.startingRun()
    let protected = otherDeploymentsCertificates(excluding: Set(matched.map(\.name)))
    var plans: [DeploymentPlan] = []
    var reports: [DeploymentReport] = []
    for deployment in matched {
      let (plan, report) = await runContext.deploy(
        certificate, targets: deployment.targets, mode: deployment.mode, replace: deployment.replace,
        deployment: deployment.name, dryRun: dryRun, catalog: catalog, protected: protected)
      plans.append(plan)
      reports.append(report)
    }
    var report = DeploymentReport.merged(reports, dryRun: dryRun)
    report.warnings = context.state.warnings + report.warnings
    return DeployHookResult(invocation: invocation, deployments: matched.map(\.name), plans: plans, report: report)
  }

  /// The CAS identities (from the state cache, no API call) of what the other deployments currently deploy from
  /// their local files, so this hook never retires them.
  func otherDeploymentsCertificates(excluding names: Set<String>) -> Set<String> {
    var result: Set<String> = []
    for deployment in configuration.deployments where !names.contains(deployment.name) {
      guard let source = deployment.source,
        let files = SourceLocator.files(
          for: source, acmeShHome: context.acmeShHome, fileExists: { FileManager.default.fileExists(atPath: $0) }),
        let bundle = try? LocalCertificates.load(certificatePath: files.certificate, keyPath: nil, chainPath: nil),
        let record = context.state.certificate(sha256: bundle.leaf.sha256Fingerprint)
      else { continue }
      result.insert(record.identifier)
    }
    return result
  }
}
