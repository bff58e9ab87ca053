import CertificateKit
import Foundation

/// `certhook prune`: retire expired certificates that a valid one on the same listener covers, delete expired CAS
/// uploads that certhook made and no listener uses, and (with a CLB scope) the SLB server certificates certhook
/// created that no CLB listener or domain extension uses.
public struct PruneRunner: Sendable {
  /// Injected dependencies.
  public let context: RunnerContext
  /// The CLB driver and load balancers for server-certificate pruning (nil: no CLB part).
  public let clb: CLBPruneScope?
  /// The products whose every listener counts as a user of a CAS certificate (listed account-wide; CLB's come
  /// from `clb`). A product that cannot be listed stops every CAS deletion: usage would be unknown.
  public var products: [ListenerProduct] = [.alb, .nlb, .ga]

  /// Creates a runner; `clb` adds the CLB server-certificate part.
  public init(context: RunnerContext, clb: CLBPruneScope? = nil) {
    self.context = context
    self.clb = clb
  }

  /// Prunes the given load balancers' listeners (all when empty); CAS deletion always checks every listener.
  public func run(loadBalancerIds: [String] = [], dryRun: Bool) async -> PruneReport {
    var report = PruneReport(dryRun: dryRun, dissociations: DeploymentReport(dryRun: dryRun), deletions: [], errors: [])
    let backend = context.backend
    let now = context.now
    var allListeners: [CloudListener] = []
    var listReadFailed = false
    for product in products {
      do {
        allListeners += try await backend.listAccountListeners(product).filter(\.carriesCertificates)
      } catch {
        guard product != .alb else {
          report.errors.append("cannot list listeners: \(error)")
          return report
        }
        report.errors.append(
          "cannot list the \(product.displayName) listeners: \(error); CAS deletions are skipped (a certificate could "
            + "serve there). Grant the listing (docs/ram-policy.md), or leave \(product.rawValue) out with --product")
        listReadFailed = true
      }
    }
    let lists: [Result<[CloudListenerCertificate], CertHookError>] = await boundedConcurrentMap(
      allListeners, limit: context.concurrency
    ) { l in
      do { return .success(try await backend.listListenerCertificates(l.id)) } catch {
        return .failure(.cloud(code: (error as? CertHookError)?.apiCode, message: "\(l.id): \(error)"))
      }
    }
    var inUse = Set<String>()
    var plans: [ListenerPlan] = []
    let catalog = context.catalog
    for (listener, result) in zip(allListeners, lists) {
      guard case .success(let certs) = result else {
        if case .failure(let error) = result { report.errors.append("\(error)") }
        listReadFailed = true
        continue
      }
      for c in certs { inUse.insert(c.certificateId) }
      guard loadBalancerIds.isEmpty || loadBalancerIds.contains(listener.loadBalancerId) else { continue }
      var facts: [String: RemoteCertificate] = [:]
      for c in certs { facts[c.certificateId] = await catalog.lookup(c.certificateId) }
      var retire: [String] = []
      var notes: [String] = []
      var coveringIds: [String] = []
      for old in certs.sorted(by: { $0.certificateId < $1.certificateId }) where !old.isDefault && !old.isDissociating {
        guard let f = facts[old.certificateId], let end = f.notAfter, end <= now else { continue }
        guard f.namesKnown else {
          notes.append("left expired \(old.certificateId) on \(listener.id) alone: CAS returned no SANs for it")
          continue
        }
        let cover = certs.first { other in
          guard other.certificateId != old.certificateId, !other.isDissociating,
            let o = facts[other.certificateId], o.namesKnown, let oEnd = o.notAfter, oEnd > now
          else { return false }
          return f.dnsNames.allSatisfy { HostnameMatcher.isCovered($0, by: o.dnsNames) }
        }
        if let cover {
          retire.append(old.certificateId)
          coveringIds.append(cover.certificateId)
          notes.append("retire \(old.certificateId): expired, names covered by valid \(cover.certificateId)")
        } else {
          notes.append(
            "left expired \(old.certificateId) on \(listener.id): no valid certificate there covers its names")
        }
      }
      plans.append(
        ListenerPlan(
          listenerId: listener.id, loadBalancerId: listener.loadBalancerId, listenerProtocol: listener.listenerProtocol,
          port: listener.port, currentCertificateIds: certs.map(\.certificateId).sorted(),
          defaultCertificateId: certs.first(where: \.isDefault)?.certificateId,
          actions: retire.isEmpty
            ? []
            : [
              PlannedAction(
                kind: .dissociate, certificateIds: retire, reason: "expired and covered by a valid certificate")
            ],
          notes: notes, requiresServing: coveringIds.first))
    }
    let placeholder = MappedCertificate(
      identifier: "(prune)", certId: nil, name: "", sha256: nil, commonName: nil, dnsNames: [], notBefore: nil,
      notAfter: nil)
    let plan = DeploymentPlan(
      deployment: nil, certificate: placeholder, mode: .additional, replace: .covered,
      listeners: plans.sorted { $0.listenerId < $1.listenerId }, loadBalancers: [])
    var dissociations = await context.executor.execute(plan, dryRun: dryRun)
    dissociations.certificates = []
    report.dissociations = dissociations
    // Certificates dissociated now are no longer in use.
    for outcome in dissociations.listeners where outcome.outcome == .updated || (dryRun && outcome.outcome == .planned)
    {
      for action in outcome.actions where action.kind == .dissociate {
        for id in action.certificateIds { inUse.remove(id) }
      }
    }
    // Re-add certificates still on some other listener.
    for (listener, result) in zip(allListeners, lists) {
      guard case .success(let certs) = result else { continue }
      let removed = Set(
        dissociations.listeners.first(where: {
          $0.listenerId == listener.id && ($0.outcome == .updated || $0.outcome == .planned)
        })?
        .actions.flatMap(\.certificateIds) ?? [])
      for c in certs where !removed.contains(c.certificateId) { inUse.insert(c.certificateId) }
    }
    var clbUsedCASIds = Set<Int>()
    if let clb {
      let pruned = await CLBServerCertificatePruning(scope: clb).run(dryRun: dryRun)
      report.serverCertificates = pruned.entries
      report.errors += pruned.errors
      clbUsedCASIds = pruned.usedCASIds
    }
    guard !listReadFailed else {
      report.errors.append("CAS deletion skipped: not every listener could be read, so usage is unknown")
      return report
    }
    await deleteUnused(inUse: inUse, alsoUsed: clbUsedCASIds, dryRun: dryRun, into: &report)
    return report
  }

  /// `alsoUsed`: CAS IDs whose CLB server-certificate copies serve (kept, like certificates on a listener).
  private func deleteUnused(inUse: Set<String>, alsoUsed: Set<Int>, dryRun: Bool, into report: inout PruneReport)
    async
  {
    let uploads: [CloudCertificateSummary]
    do {
      uploads = try await context.backend.listUploadedCertificates()
    } catch {
      report.errors.append("cannot list CAS uploads: \(error)")
      return
    }
    await context.state.prepare()
    let recorded = context.state.snapshot().certificates
    let usedCasIds = Set(inUse.compactMap { RemoteCertificate.casId(fromIdentifier: $0) }).union(alsoUsed)
    for upload in uploads.sorted(by: { $0.certId < $1.certId }) {
      // Only what this state (this CAS endpoint and account) recorded as certhook's own upload, for the very
      // certificate CAS now holds under that ID: a name that merely looks like certhook's is somebody else's.
      guard
        let recordedSha = recorded.first(where: { $0.value.certId == upload.certId && $0.value.uploadedByCerthook })?
          .key,
        !usedCasIds.contains(upload.certId)
      else { continue }
      if let listedSha = upload.sha256, !listedSha.isEmpty, listedSha.uppercased() != recordedSha.uppercased() {
        continue
      }
      // List results carry only a day; decide expiry from the detail's exact notAfter when CAS gives it.
      var end = upload.notAfter
      guard let detail = try? await context.backend.certificateDetail(certId: upload.certId) else { continue }
      if let detailSha = detail.sha256, !detailSha.isEmpty, detailSha.uppercased() != recordedSha.uppercased() {
        continue
      }
      if let exact = detail.notAfter { end = exact }
      guard let end, end <= context.now else { continue }
      var entry = PrunedCertificate(
        certId: upload.certId, name: upload.name, notAfter: end, outcome: .planned, error: nil)
      if !dryRun {
        do {
          try await context.backend.deleteCertificate(certId: upload.certId)
          entry.outcome = .deleted
          try? context.state.update { s in
            for (k, v) in s.certificates where v.certId == upload.certId { s.certificates[k] = nil }
          }
        } catch {
          entry.outcome = .failed
          entry.error = "\(error)"
        }
      }
      report.deletions.append(entry)
    }
  }
}
