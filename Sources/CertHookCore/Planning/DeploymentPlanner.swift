import Foundation
import Logging

/// Compares what each target listener has with what it should have and writes a `DeploymentPlan`.
public struct DeploymentPlanner: Sendable {
  /// The cloud (reads only).
  public let backend: any CloudBackend
  /// SANs and expiry of attached certificates.
  public let catalog: CertificateCatalog
  /// Known additional-certificate quotas per load balancer.
  public let quotas: [String: Int]
  /// Listeners read at the same time.
  public let concurrency: Int
  /// The reference time (decides which certificates are expired).
  public let now: Date
  /// Where diagnostics go.
  public let logger: Logger
  /// Certificates never retired by this plan (e.g. what other deployments of the configuration deploy), so two
  /// deployments whose names overlap cannot undo each other on every run.
  public var protected: Set<String> = []
  /// The run's memory of which listeners each load balancer has (nil: list them every time).
  public var directory: ListenerDirectory? = nil
  /// The run's memory of each listener's certificates (nil: read them for every plan).
  public var book: ListenerCertificateBook? = nil

  /// Creates a planner.
  public init(
    backend: any CloudBackend, catalog: CertificateCatalog, now: Date, quotas: [String: Int] = [:],
    concurrency: Int = 16, logger: Logger
  ) {
    self.backend = backend
    self.now = now
    self.catalog = catalog
    self.quotas = quotas
    self.concurrency = max(1, concurrency)
    self.logger = logger
  }

  /// Plans putting `certificate` on every target listener and retiring what it supersedes.
  public func plan(
    certificate: MappedCertificate, targets: [DeploymentTarget], mode: DeploymentMode, replace: ReplacePolicy,
    deployment: String? = nil
  ) async -> DeploymentPlan {
    let resolved = await resolve(targets)
    let lists = await certificateLists(for: resolved.listeners)
    let usage = usageByLoadBalancer(lists: lists)
    let planned: [ListenerPlan] = await boundedConcurrentMap(resolved.listeners, limit: concurrency) { listener in
      await planListener(
        listener, certificates: lists[listener.id], certificate: certificate, mode: mode, replace: replace)
    }
    var all = (planned + resolved.failures).sorted { $0.listenerId < $1.listenerId }
    Self.placeInWaves(&all, usage: usage)
    return DeploymentPlan(
      deployment: deployment, certificate: certificate, mode: mode, replace: replace, listeners: all,
      loadBalancers: usage)
  }

  /// Plans removing `certificate` from every target listener where it is an additional certificate.
  public func planDetach(certificate: MappedCertificate, targets: [DeploymentTarget]) async -> DeploymentPlan {
    let resolved = await resolve(targets)
    let lists = await certificateLists(for: resolved.listeners)
    var plans = resolved.failures
    for listener in resolved.listeners {
      var plan = ListenerPlan(
        listenerId: listener.id, loadBalancerId: listener.loadBalancerId, listenerProtocol: listener.listenerProtocol,
        port: listener.port)
      guard case .success(let certs)? = lists[listener.id] else {
        plan.error = errorText(lists[listener.id])
        plans.append(plan)
        continue
      }
      plan.currentCertificateIds = certs.map(\.certificateId).sorted()
      plan.defaultCertificateId = certs.first(where: \.isDefault)?.certificateId
      if let attached = certs.first(where: { $0.certificateId == certificate.identifier }) {
        if attached.isDefault {
          plan.error =
            "\(certificate.identifier) is the default certificate of \(listener.id); replace the default instead of detaching it"
        } else if !attached.isDissociating {
          plan.actions = [
            PlannedAction(kind: .dissociate, certificateIds: [certificate.identifier], reason: "detach requested")
          ]
        } else {
          plan.notes.append("\(certificate.identifier) is already being dissociated from \(listener.id)")
        }
      } else {
        plan.notes.append("\(certificate.identifier) is not on \(listener.id)")
      }
      plans.append(plan)
    }
    plans.sort { $0.listenerId < $1.listenerId }
    return DeploymentPlan(
      deployment: nil, certificate: certificate, mode: .additional, replace: .none, listeners: plans,
      loadBalancers: usageByLoadBalancer(lists: lists))
  }

  // MARK: - targets

  /// Listeners named by the targets (load balancers expanded to their HTTPS/QUIC listeners), and failures.
  public func resolve(_ targets: [DeploymentTarget]) async -> (listeners: [CloudListener], failures: [ListenerPlan]) {
    var listeners: [String: CloudListener] = [:]
    var failures: [ListenerPlan] = []
    var lbFilters: [(String, [String]?, [Int]?)] = []
    var listenerIds: [String] = []
    for target in targets {
      switch target {
      case .listener(let id): if !listenerIds.contains(id) { listenerIds.append(id) }
      case .loadBalancer(let id, let protocols, let ports): lbFilters.append((id, protocols, ports))
      }
    }
    if !lbFilters.isEmpty {
      let ids = Array(Set(lbFilters.map(\.0))).sorted()
      let (found, failed) = await LoadBalancerListing.list(ids, backend: backend, concurrency: concurrency)
      for (lb, protocols, ports) in lbFilters {
        if let error = failed[lb] {
          failures.append(
            ListenerPlan(
              listenerId: lb, loadBalancerId: lb, listenerProtocol: nil, port: nil,
              error: "cannot list the listeners of \(lb): \(error)"))
          continue
        }
        let matching = found.filter { l in
          l.loadBalancerId == lb && l.carriesCertificates
            && (protocols.map { $0.contains(l.listenerProtocol.uppercased()) } ?? true)
            && (ports.map { $0.contains(l.port) } ?? true)
        }
        if matching.isEmpty {
          failures.append(
            ListenerPlan(
              listenerId: lb, loadBalancerId: lb, listenerProtocol: nil, port: nil,
              error: TargetProblem.noMatchingListener(lb)))
        }
        for l in matching { listeners[l.id] = l }
      }
    }
    for id in listenerIds where listeners[id] == nil {
      // Listed earlier in this run (membership only; its certificates are read below).
      if let known = await directory?.listener(id), known.carriesCertificates { listeners[id] = known }
    }
    let backend = self.backend
    let singles: [Result<CloudListener, CertHookError>] = await boundedConcurrentMap(
      listenerIds.filter { listeners[$0] == nil }, limit: concurrency
    ) { id in
      do {
        return .success(try await backend.getListener(id))
      } catch {
        return .failure(.cloud(code: (error as? CertHookError)?.apiCode, message: "\(id): \(error)"))
      }
    }
    for (id, result) in zip(listenerIds.filter { listeners[$0] == nil }, singles) {
      switch result {
      case .success(let l):
        if l.carriesCertificates {
          listeners[l.id] = l
        } else {
          failures.append(
            ListenerPlan(
              listenerId: id, loadBalancerId: l.loadBalancerId, listenerProtocol: l.listenerProtocol, port: l.port,
              error: TargetProblem.carriesNoCertificates(id, l)))
        }
      case .failure(let error):
        failures.append(
          ListenerPlan(listenerId: id, loadBalancerId: nil, listenerProtocol: nil, port: nil, error: "\(error)"))
      }
    }
    return (listeners.values.sorted { $0.id < $1.id }, failures)
  }

  // MARK: - per listener

  private func certificateLists(for listeners: [CloudListener]) async -> CertificateLists {
    // Usage counts every HTTPS/QUIC listener of the load balancers involved, not only the targets.
    var all: [String: CloudListener] = Dictionary(uniqueKeysWithValues: listeners.map { ($0.id, $0) })
    let lbs = Array(Set(listeners.map(\.loadBalancerId))).sorted()
    if !lbs.isEmpty, let siblings = await siblings(of: lbs) {
      for s in siblings where s.carriesCertificates && all[s.id] == nil { all[s.id] = s }
    }
    let ordered = all.values.sorted { $0.id < $1.id }
    let backend = self.backend
    let book = self.book
    let results: [ListenerCertificateBook.Entry] = await boundedConcurrentMap(ordered, limit: concurrency) { l in
      let read: @Sendable () async -> ListenerCertificateBook.Entry = {
        do {
          return .success(try await backend.listListenerCertificates(l.id))
        } catch {
          return .failure(
            .cloud(code: (error as? CertHookError)?.apiCode, message: "cannot list certificates of \(l.id): \(error)"))
        }
      }
      guard let book else { return await read() }
      return await book.certificates(of: l.id, read: read)
    }
    var lists = CertificateLists()
    for (l, r) in zip(ordered, results) {
      lists.results[l.id] = r
      lists.owners[l.id] = l.loadBalancerId
    }
    return lists
  }

  private func siblings(of lbs: [String]) async -> [CloudListener]? {
    if let known = await directory?.listeners(of: lbs) { return known }
    guard let listed = try? await backend.listListeners(loadBalancerIds: lbs) else { return nil }
    await directory?.record(listed, loadBalancerIds: lbs)
    return listed
  }

  private func usageByLoadBalancer(lists: CertificateLists) -> [LoadBalancerUsage] {
    var counts: [String: Int] = [:]
    for (listenerId, result) in lists.results {
      guard let lb = lists.owners[listenerId] else { continue }
      if case .success(let certs) = result {
        counts[lb, default: 0] += certs.filter { !$0.isDefault }.count
      } else {
        counts[lb, default: 0] += 0
      }
    }
    return counts.keys.sorted().map {
      LoadBalancerUsage(loadBalancerId: $0, additionalCertificates: counts[$0] ?? 0, quota: quotas[$0])
    }
  }

  private func errorText(_ result: Result<[CloudListenerCertificate], CertHookError>?) -> String {
    if case .failure(let error)? = result { return "\(error)" }
    return "certificates could not be listed"
  }

  /// Plans one listener, reading its certificates now (used when listeners are planned right before they change).
  public func planListener(
    _ listener: CloudListener, certificate: MappedCertificate, mode: DeploymentMode, replace: ReplacePolicy
  ) async -> ListenerPlan {
    let certs: Result<[CloudListenerCertificate], CertHookError>
    do {
      certs = .success(try await backend.listListenerCertificates(listener.id))
    } catch {
      certs = .failure(
        .cloud(
          code: (error as? CertHookError)?.apiCode, message: "cannot list certificates of \(listener.id): \(error)"))
    }
    return await planListener(listener, certificates: certs, certificate: certificate, mode: mode, replace: replace)
  }

  private func planListener(
    _ listener: CloudListener, certificates: Result<[CloudListenerCertificate], CertHookError>?,
    certificate new: MappedCertificate, mode: DeploymentMode, replace: ReplacePolicy
  ) async -> ListenerPlan {
    guard case .success(let certs)? = certificates else {
      var plan = ListenerPlan(
        listenerId: listener.id, loadBalancerId: listener.loadBalancerId, listenerProtocol: listener.listenerProtocol,
        port: listener.port)
      plan.error = errorText(certificates)
      return plan
    }
    // Reading (the facts of attached certificates) first, then the pure decision.
    var facts: [String: RemoteCertificate] = [:]
    if replace == .covered {
      for id in ListenerDecision.factsNeeded(certificates: certs, new: new) { facts[id] = await catalog.lookup(id) }
    }
    return ListenerDecision.plan(
      listener: listener, certificates: certs, facts: facts, new: new, mode: mode, replace: replace,
      protected: protected, now: now)
  }

  // MARK: - per load balancer

  /// Plans the target listeners of one load balancer (reading all its HTTPS/QUIC listeners for the usage), then
  /// places them in waves under its quota: used to start one load balancer's rotation while the next is read.
  public func planLoadBalancer(
    _ listeners: [CloudListener], certificate: MappedCertificate, mode: DeploymentMode, replace: ReplacePolicy
  ) async -> (listeners: [ListenerPlan], usage: LoadBalancerUsage?) {
    let lists = await certificateLists(for: listeners)
    let planned: [ListenerPlan] = await boundedConcurrentMap(listeners, limit: concurrency) { listener in
      await planListener(
        listener, certificates: lists[listener.id], certificate: certificate, mode: mode, replace: replace)
    }
    let usage = usageByLoadBalancer(lists: lists)
    var plans = planned
    Self.placeInWaves(&plans, usage: usage)
    return (plans, usage.first)
  }

  /// Marks each listener's wave (when there is more than one) and fails the listeners of a load balancer whose
  /// known quota cannot hold the end state, before anything changes. The decision is `RotationScheduler`'s.
  public static func placeInWaves(_ plans: inout [ListenerPlan], usage: [LoadBalancerUsage]) {
    for lb in usage {
      let indices = plans.indices.filter { plans[$0].loadBalancerId == lb.loadBalancerId && plans[$0].error == nil }
      let items = indices.map { RotationScheduler.Item(plans[$0]) }.filter { $0.adds > 0 || $0.removes > 0 }
      guard !items.isEmpty else { continue }
      let preview = RotationScheduler.preview(
        loadBalancerId: lb.loadBalancerId, quota: lb.quota, usage: lb.additionalCertificates, items: items)
      let waveOf = Dictionary(
        uniqueKeysWithValues: preview.waves.enumerated().flatMap { pair in pair.element.map { ($0, pair.offset + 1) } })
      for i in indices {
        if preview.waves.count > 1, let wave = waveOf[plans[i].listenerId] { plans[i].wave = wave }
        if let shortfall = preview.shortfall, preview.failed.contains(plans[i].listenerId) {
          plans[i].error = DeploymentExecutor.quotaError(shortfall).description
        }
      }
    }
  }
}

/// Certificate lists of the listeners involved, with each listener's load balancer.
struct CertificateLists: Sendable {
  var results: [String: Result<[CloudListenerCertificate], CertHookError>] = [:]
  var owners: [String: String] = [:]

  subscript(_ listenerId: String) -> Result<[CloudListenerCertificate], CertHookError>? {
    results[listenerId]
  }
}
