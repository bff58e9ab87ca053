import CertificateKit
import Foundation

/// `certhook audit`: every certificate on every selected listener with its domains and expiry.
public struct AuditRunner: Sendable {
  /// Injected dependencies (uses `checkPolicy` for the windows).
  public let context: RunnerContext

  /// Creates a runner.
  public init(context: RunnerContext) {
    self.context = context
  }

  /// Scans the listeners of the given load balancers (all load balancers when empty).
  public func run(loadBalancerIds: [String]) async -> AuditReport {
    await run(loadBalancerIds: loadBalancerIds, listenerIds: [])
  }

  /// Scans the given listeners and the HTTPS/QUIC listeners of the given load balancers; everything when both
  /// are empty.
  public func run(loadBalancerIds: [String], listenerIds: [String]) async -> AuditReport {
    var listeners: [CloudListener] = []
    var errors: [String] = []
    if !loadBalancerIds.isEmpty || listenerIds.isEmpty {
      do {
        listeners = try await context.backend.listListeners(loadBalancerIds: loadBalancerIds).filter(
          \.carriesCertificates)
      } catch {
        errors.append("cannot list listeners: \(error)")
      }
    }
    for id in listenerIds where !listeners.contains(where: { $0.id == id }) {
      do {
        let l = try await context.backend.getListener(id)
        if l.carriesCertificates {
          listeners.append(l)
        } else {
          errors.append(TargetProblem.carriesNoCertificates(id, l))
        }
      } catch {
        errors.append("\(id): \(error)")
      }
    }
    let report = await scan(listeners)
    return AuditReport(rows: report.rows, errors: errors + report.errors)
  }

  /// The listeners named by deployment targets (e.g. a configuration's), scanned.
  public func run(targets: [DeploymentTarget]) async -> AuditReport {
    var lbs: [String] = []
    var ids: [String] = []
    for t in targets {
      switch t {
      case .listener(let id): if !ids.contains(id) { ids.append(id) }
      case .loadBalancer(let id, _, _): if !lbs.contains(id) { lbs.append(id) }
      }
    }
    if lbs.isEmpty && ids.isEmpty { return AuditReport(rows: [], errors: ["no listener or load balancer selected"]) }
    return await run(loadBalancerIds: lbs, listenerIds: ids)
  }

  private func scan(_ listeners: [CloudListener]) async -> AuditReport {
    let catalog = context.catalog
    let backend = context.backend
    let now = context.now
    let policy = context.checkPolicy
    let perListener: [Result<[AuditRow], CertHookError>] = await boundedConcurrentMap(
      listeners.sorted { $0.id < $1.id }, limit: context.concurrency
    ) { listener in
      let certs: [CloudListenerCertificate]
      do {
        certs = try await backend.listListenerCertificates(listener.id)
      } catch {
        return .failure(.cloud(code: (error as? CertHookError)?.apiCode, message: "\(listener.id): \(error)"))
      }
      var rows: [AuditRow] = []
      for cert in certs.sorted(by: { $0.certificateId < $1.certificateId }) {
        let facts = await catalog.lookup(cert.certificateId)
        let days = facts.notAfter.map { Int((($0.timeIntervalSince(now)) / 86_400).rounded(.down)) }
        rows.append(
          AuditRow(
            loadBalancerId: listener.loadBalancerId, listenerId: listener.id, product: listener.product,
            listenerProtocol: listener.listenerProtocol,
            port: listener.port, certificateId: cert.certificateId, isDefault: cert.isDefault,
            associationStatus: cert.status, name: facts.name, commonName: facts.commonName, domains: facts.dnsNames,
            notAfter: facts.notAfter, daysRemaining: days,
            status: Self.status(notAfter: facts.notAfter, now: now, policy: policy)))
      }
      return .success(rows)
    }
    var report = AuditReport(rows: [], errors: [])
    for result in perListener {
      switch result {
      case .success(let rows): report.rows += rows
      case .failure(let error): report.errors.append("\(error)")
      }
    }
    report.rows.sort {
      ($0.notAfter ?? .distantFuture, $0.listenerId, $0.certificateId) < (
        $1.notAfter ?? .distantFuture, $1.listenerId, $1.certificateId
      )
    }
    return report
  }

  /// `scan`'s status words for an expiry date.
  public static func status(notAfter: Date?, now: Date, policy: CheckPolicy) -> String {
    guard let end = notAfter else { return "unknown" }
    if end <= now { return "expired" }
    let seconds = end.timeIntervalSince(now)
    if seconds < Double(policy.criticalDays) * 86_400 { return "critical" }
    if seconds < Double(policy.warningDays) * 86_400 { return "warning" }
    return "ok"
  }
}
