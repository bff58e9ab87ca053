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
  /// Called with what was mapped once every deployment's certificate is (uploaded first where needed), before the
  /// first listener changes: in a fleet run the other regions of the same account and CAS site map then.
  public var certificatesMapped: (@Sendable ([MappedCertificate]) async -> Void)?
  /// Awaited before this runner maps anything: certificates another runner of this run mapped (uploaded or found
  /// in CAS) in the same account and CAS site, taken as they are instead of being looked up again.
  public var mappedElsewhere: (@Sendable () async -> [MappedCertificate])?

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
  ///
  /// Nothing is uploaded before every chosen deployment's local certificate passed its checks and every target
  /// was found: a deployment that fails either is reported and left entirely alone, the others go on.
  /// Deployments on disjoint listeners run at the same time (up to `concurrency`); two that share a listener
  /// run one after the other, in configuration order.
  public func run(dryRun: Bool = false, only: [String] = []) async -> SyncResult {
    // A run of many deployments records thousands of facts: written behind, in a few writes (see `StateStore`).
    await context.state.writingBehind { await converge(dryRun: dryRun, only: only) }
  }

  private func converge(dryRun: Bool, only: [String]) async -> SyncResult {
    var errors: [String] = []
    // 1. Every deployment's local files and their checks, without any API call.
    var local: [(deployment: Deployment, bundle: CertificateBundle?)] = []
    for deployment in configuration.deployments where only.isEmpty || only.contains(deployment.name) {
      do {
        local.append((deployment, try localBundle(for: deployment)))
      } catch {
        errors.append("\(deployment.name): \(error)")
      }
    }
    // 2. Every target of every deployment, read in one pass, still before anything is uploaded.
    var check = TargetCheck(backend: context.backend, concurrency: context.concurrency)
    check.directory = context.listenerDirectory
    let resolved = await check.resolve(local.map(\.deployment.targets))
    var usable: [(deployment: Deployment, bundle: CertificateBundle?, listeners: Set<String>)] = []
    for ((deployment, bundle), resolution) in zip(local, resolved) {
      guard resolution.problems.isEmpty else {
        errors.append(
          "\(deployment.name): \(resolution.problems.joined(separator: "; ")); nothing was uploaded or changed for it")
        continue
      }
      usable.append((deployment, bundle, resolution.listenerIds))
    }
    // 3. First every deployment's certificate, then the changes: what one deployment deploys is never retired by
    // another whose names overlap (otherwise they would undo each other on every run).
    let chosen = await certificates(for: usable.map { ($0.deployment, $0.bundle) }, dryRun: dryRun)
    await certificatesMapped?(
      chosen.compactMap {
        guard case .found(let certificate) = $0 else { return nil }
        return certificate
      })
    var selected: [(deployment: Deployment, certificate: MappedCertificate, listeners: Set<String>)] = []
    for (entry, result) in zip(usable, chosen) {
      switch result {
      case .found(let certificate): selected.append((entry.deployment, certificate, entry.listeners))
      case .missing:
        errors.append(
          "\(entry.deployment.name): no valid certificate covering "
            + "\(entry.deployment.domains.joined(separator: ", ")) found")
      case .failed(let message): errors.append("\(entry.deployment.name): \(message)")
      }
    }
    // 4. The changes, wave by wave.
    let deployed = Set(selected.map(\.certificate.identifier)).subtracting([MappedCertificate.pendingIdentifier])
    let catalog = context.catalog
    let runner = self.context.startingRun()
    var outcomes: [(DeploymentPlan, DeploymentReport)?] = Array(repeating: nil, count: selected.count)
    for wave in DeploymentWaves.waves(selected.map(\.listeners)) {
      let items = wave.map { (index: $0, entry: selected[$0]) }
      let done = await boundedConcurrentMap(items, limit: runner.concurrency) { item in
        await runner.deploy(
          item.entry.certificate, targets: item.entry.deployment.targets, mode: item.entry.deployment.mode,
          replace: item.entry.deployment.replace, deployment: item.entry.deployment.name, dryRun: dryRun,
          catalog: catalog, protected: deployed)
      }
      for (item, result) in zip(items, done) { outcomes[item.index] = result }
    }
    let finished = outcomes.compactMap { $0 }
    var report = DeploymentReport.merged(finished.map(\.1), dryRun: dryRun)
    report.errors += errors
    report.warnings = context.state.warnings + report.warnings
    return SyncResult(plans: finished.map(\.0), report: report)
  }

  /// Each deployment's certificate (same order): its checked local files mapped to CAS (uploaded unless dry run,
  /// each distinct certificate once), or the newest valid CAS certificate covering its domains.
  ///
  /// With many certificates the state cache does not know, CAS is listed once instead of searched per
  /// certificate.
  func certificates(for entries: [(Deployment, CertificateBundle?)], dryRun: Bool) async -> [Selection] {
    var mapping = context
    let elsewhere = MappedElsewhere(await mappedElsewhere?() ?? [])
    // The cache is read for this account and CAS site only once its scope is known (GetCallerIdentity): before
    // that every certificate would look unknown and CAS would be listed for nothing.
    await context.state.prepare()
    let unknown = Set(
      entries.compactMap { $0.1?.leaf.sha256Fingerprint.uppercased() }.filter {
        context.state.certificate(sha256: $0) == nil && elsewhere[$0] == nil
      })
    if unknown.count >= Self.listingThreshold, let index = try? await CASSearchIndex(base: context.backend) {
      mapping.backend = index
    }
    var bundles: [String: CertificateBundle] = [:]
    for case let (_, bundle?) in entries { bundles[bundle.leaf.sha256Fingerprint.uppercased()] = bundle }
    let unique = bundles
    let keys = unique.keys.sorted()
    let mapper = mapping.mapper
    let mapped: [Selection] = await boundedConcurrentMap(keys, limit: context.concurrency) { key in
      guard let bundle = unique[key] else { return .missing }
      if let certificate = elsewhere[key] { return .found(certificate) }
      do { return .found(try await mapper.ensureUploaded(bundle, dryRun: dryRun)) } catch { return .failed("\(error)") }
    }
    let byKey = Dictionary(uniqueKeysWithValues: zip(keys, mapped))
    let runner = self
    let domains = entries.map { $0.0.domains }
    let sources = entries.map { $0.1.map { $0.leaf.sha256Fingerprint.uppercased() } }
    return await boundedConcurrentMap(Array(entries.indices), limit: context.concurrency) { i in
      if let key = sources[i] { return byKey[key] ?? .missing }
      do {
        return try await runner.newestInCAS(covering: domains[i]).map { .found($0) } ?? .missing
      } catch {
        return .failed("\(error)")
      }
    }
  }

  /// The certificate chosen for a deployment, none, or why it could not be chosen.
  enum Selection: Sendable {
    case found(MappedCertificate)
    case missing
    case failed(String)
  }

  /// From this many certificates missing from the state cache on, CAS is listed once rather than searched for each.
  static let listingThreshold = 10

  /// The deployment's source files, loaded and checked (refused when unusable); nil for a source-less deployment.
  func localBundle(for deployment: Deployment) throws -> CertificateBundle? {
    guard let source = deployment.source,
      let files = SourceLocator.files(for: source, acmeShHome: context.acmeShHome, fileExists: fileExists)
    else { return nil }
    let bundle = try LocalCertificates.load(
      certificatePath: files.certificate, keyPath: files.key, chainPath: files.chain)
    let reasons = LocalCertificates.refusals(
      bundle, domains: deployment.domains, now: context.now, policy: context.checkPolicy)
    guard reasons.isEmpty else { throw CertHookError.refused(reasons: reasons) }
    return bundle
  }

  func newestInCAS(covering domains: [String]) async throws -> MappedCertificate? {
    guard var keyword = domains.first else { return nil }
    if keyword.hasPrefix("*.") { keyword.removeFirst(2) }
    let now = context.now
    var best: MappedCertificate?
    for summary in try await context.backend.searchCertificates(keyword: keyword) {
      if let end = summary.notAfter, end <= now { continue }
      guard let detail = try await context.backend.certificateDetail(certId: summary.certId) else { continue }
      let facts = CertificateCatalog.describe(detail: detail, identifier: detail.identifier)
      // Names from the PEM, or from CAS's own `Sans` when the detail was asked for without the PEM (CertFilter).
      guard facts.namesKnown, let end = facts.notAfter, end > now else { continue }
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
