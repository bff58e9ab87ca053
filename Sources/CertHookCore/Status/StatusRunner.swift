import CertificateKit
import Foundation

/// `certhook status`: per deployment, the certificate it would deploy, its CAS ID (or none yet), every target
/// listener with what it serves now, and whether the deployment is converged, pending or failing.
///
/// Read-only towards the cloud: it reads listeners, certificates and CAS, plans as `sync --dry-run` would, and
/// never sends a write (not even a DryRun precheck).
public struct StatusRunner: Sendable {
  /// The sync it reports on: the same configuration, context and certificate choice.
  public let sync: SyncRunner

  /// Creates a runner (the configuration's limits are applied to the context).
  public init(
    configuration: CertHookConfiguration, context: RunnerContext,
    fileExists: @escaping @Sendable (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
  ) {
    sync = SyncRunner(configuration: configuration, context: context, fileExists: fileExists)
  }

  private var configuration: CertHookConfiguration { sync.configuration }
  private var context: RunnerContext { sync.context }
  private var fileExists: @Sendable (String) -> Bool { sync.fileExists }

  /// The status of every deployment (or only those named in `only`).
  public func run(only: [String] = []) async -> StatusReport {
    let chosen = configuration.deployments.filter { only.isEmpty || only.contains($0.name) }
    var rows: [(status: DeploymentStatus, certificate: MappedCertificate?, usable: Bool)] = []
    for deployment in chosen {
      rows.append(await certificate(for: deployment, sync: sync))
    }
    let problems = await TargetCheck(backend: context.backend, concurrency: context.concurrency)
      .problems(chosen.map(\.targets))
    let deployed = Set(rows.filter(\.usable).compactMap { $0.certificate?.identifier })
      .subtracting([MappedCertificate.pendingIdentifier])
    let catalog = context.catalog
    let runContext = context.startingRun()
    var result: [DeploymentStatus] = []
    for (row, (deployment, targetProblems)) in zip(rows, zip(chosen, problems)) {
      var status = row.status
      status.problems += targetProblems
      if let mapped = row.certificate {
        // An unusable certificate is still planned (retiring nothing) to show what every listener serves now.
        var planner = runContext.planner(catalog: catalog)
        planner.protected = deployed.subtracting([mapped.identifier])
        let plan = await planner.plan(
          certificate: mapped, targets: deployment.targets, mode: deployment.mode,
          replace: row.usable ? deployment.replace : .none, deployment: deployment.name)
        status.listeners = plan.listeners.map { lp in
          var listener = ListenerStatus(lp)
          // The target check's one-line reason, rather than the planner's longer one, for a missing target.
          if listener.error != nil,
            let reason = targetProblems.first(where: { $0.hasPrefix("listener \(lp.listenerId) ") })
          {
            listener.error = reason
          }
          return listener
        }
      }
      let states = Set(status.listeners.map(\.state))
      if !status.problems.isEmpty || !row.usable || states.contains(.failing) {
        status.state = .failing
      } else if status.casIdentifier == nil || states.contains(.pending) {
        status.state = .pending
      } else {
        status.state = .converged
      }
      result.append(status)
    }
    return StatusReport(deployments: result)
  }

  /// The deployment's certificate: its checked local files (and their CAS identity, if any), or the newest valid
  /// CAS certificate for a source-less deployment. Nil with a problem when it is unusable.
  private func certificate(for deployment: Deployment, sync: SyncRunner) async -> (
    status: DeploymentStatus, certificate: MappedCertificate?, usable: Bool
  ) {
    var status = DeploymentStatus(name: deployment.name, state: .failing)
    do {
      if let source = deployment.source,
        let files = SourceLocator.files(for: source, acmeShHome: context.acmeShHome, fileExists: fileExists)
      {
        status.certificatePath = files.certificate
        let bundle = try LocalCertificates.load(
          certificatePath: files.certificate, keyPath: files.key, chainPath: files.chain)
        let described = LocalCertificates.describe(bundle.leaf)
        status.sha256 = described.sha256
        status.names = described.dnsNames
        status.notAfter = described.notAfter
        let found = try await context.mapper.find(bundle.leaf)
        status.casIdentifier = found?.identifier
        var pending = described
        pending.pendingUpload = true
        status.problems = LocalCertificates.refusals(
          bundle, domains: deployment.domains, now: context.now, policy: context.checkPolicy
        ).filter { found == nil || !$0.contains("no private key") }
        return (status, found ?? pending, status.problems.isEmpty)
      }
      guard let newest = try await sync.newestInCAS(covering: deployment.domains) else {
        status.problems = ["no valid certificate covering \(deployment.domains.joined(separator: ", ")) in CAS"]
        return (status, nil, false)
      }
      status.sha256 = newest.sha256
      status.names = newest.dnsNames
      status.notAfter = newest.notAfter
      status.casIdentifier = newest.identifier
      return (status, newest, true)
    } catch {
      status.problems = ["\(error)"]
      return (status, nil, false)
    }
  }
}
