import AlibabaCloud
import Foundation
import Logging

/// Executes a `DeploymentPlan` exactly: listeners concurrently up to a limit, one change at a time per listener.
///
/// Per listener: wait until `Running`, associate, wait for the job, verify `Associated`, then dissociate what the
/// plan retires. A failure after associating leaves the old certificates in place (both served, never neither).
/// When the load balancer's quota is full, expired superseded certificates are retired first; if it is still full
/// the listener fails with the quota and usage. One listener's failure never stops the others.
public struct DeploymentExecutor: Sendable {
  /// The cloud.
  public let backend: any CloudBackend
  /// The state cache (records what is attached), optional.
  public let state: StateStore?
  /// The reference time.
  public let now: Date
  /// Listeners changed at the same time.
  public let concurrency: Int
  /// Longest wait for a job or for a listener to be `Running`, in seconds.
  public let jobTimeout: Double
  /// Where diagnostics go.
  public let logger: Logger
  /// Called after each listener finishes (for a terminal progress line).
  public let progress: (@Sendable (ExecutionProgress) -> Void)?
  /// When set (SIGTERM/SIGINT), listeners not yet started are skipped; a started one finishes its sequence.
  public var stop: StopSignal?
  /// Proves the new certificate is served (`verify: tls`) before anything is dissociated.
  public let servingVerifier: (any ServingVerifier)?

  /// Creates an executor.
  public init(
    backend: any CloudBackend, state: StateStore?, now: Date, concurrency: Int = 32, jobTimeout: Double = 300,
    logger: Logger, progress: (@Sendable (ExecutionProgress) -> Void)? = nil,
    servingVerifier: (any ServingVerifier)? = nil
  ) {
    self.servingVerifier = servingVerifier
    self.backend = backend
    self.state = state
    self.now = now
    self.concurrency = max(1, concurrency)
    self.jobTimeout = jobTimeout
    self.logger = logger
    self.progress = progress
  }

  /// Runs the plan (or, with `dryRun`, runs the API's DryRun prechecks only) and reports every listener.
  public func execute(_ plan: DeploymentPlan, dryRun: Bool) async -> DeploymentReport {
    let counter = ProgressCounter(total: plan.listeners.count)
    let usage = Dictionary(uniqueKeysWithValues: plan.loadBalancers.map { ($0.loadBalancerId, $0) })
    let outcomes: [ListenerOutcome] = await boundedConcurrentMap(plan.listeners, limit: concurrency) { listenerPlan in
      let outcome: ListenerOutcome
      if dryRun {
        outcome = await precheck(listenerPlan, plan: plan)
      } else {
        let lb = listenerPlan.loadBalancerId.flatMap { usage[$0] }
        outcome = await run(listenerPlan, deployment: plan.deployment, usage: lb)
      }
      let done = counter.increment()
      progress?(
        ExecutionProgress(
          completed: done, total: plan.listeners.count, listenerId: outcome.listenerId, outcome: outcome.outcome))
      return outcome
    }
    if !dryRun { recordState(plan: plan, outcomes: outcomes) }
    return DeploymentReport(dryRun: dryRun, certificates: [plan.certificate], listeners: outcomes)
  }

  /// Plans and changes listener by listener: each listener is planned right before it is changed, so changes
  /// start while other listeners are still being read. Returns the plan that was followed and the report.
  ///
  /// Falls back to planning everything first when a target load balancer has a known quota (the proactive
  /// quota check needs the usage of all its listeners).
  public func planAndExecute(
    planner: DeploymentPlanner, certificate: MappedCertificate, targets: [DeploymentTarget], mode: DeploymentMode,
    replace: ReplacePolicy, deployment: String? = nil
  ) async -> (plan: DeploymentPlan, report: DeploymentReport) {
    let resolved = await planner.resolve(targets)
    if resolved.listeners.contains(where: { planner.quotas[$0.loadBalancerId] != nil }) {
      let plan = await planner.plan(
        certificate: certificate, targets: targets, mode: mode, replace: replace, deployment: deployment)
      return (plan, await execute(plan, dryRun: false))
    }
    let total = resolved.listeners.count + resolved.failures.count
    let counter = ProgressCounter(total: total)
    let pairs: [(ListenerPlan, ListenerOutcome)] = await boundedConcurrentMap(resolved.listeners, limit: concurrency) {
      listener in
      let lp = await planner.planListener(listener, certificate: certificate, mode: mode, replace: replace)
      let outcome = await run(lp, deployment: deployment, usage: nil)
      let done = counter.increment()
      progress?(
        ExecutionProgress(completed: done, total: total, listenerId: outcome.listenerId, outcome: outcome.outcome))
      return (lp, outcome)
    }
    var outcomes = pairs.map(\.1)
    for failure in resolved.failures {
      let outcome = ListenerOutcome(
        listenerId: failure.listenerId, loadBalancerId: failure.loadBalancerId, deployment: deployment,
        outcome: .failed,
        notes: failure.notes, error: failure.error)
      outcomes.append(outcome)
      let done = counter.increment()
      progress?(ExecutionProgress(completed: done, total: total, listenerId: outcome.listenerId, outcome: .failed))
    }
    outcomes.sort { $0.listenerId < $1.listenerId }
    let listenerPlans = (pairs.map(\.0) + resolved.failures).sorted { $0.listenerId < $1.listenerId }
    var usage: [String: Int] = [:]
    for lp in listenerPlans where lp.error == nil {
      guard let lb = lp.loadBalancerId else { continue }
      usage[lb, default: 0] += lp.currentCertificateIds.filter { $0 != lp.defaultCertificateId }.count
    }
    let plan = DeploymentPlan(
      deployment: deployment, certificate: certificate, mode: mode, replace: replace, listeners: listenerPlans,
      loadBalancers: usage.keys.sorted().map {
        LoadBalancerUsage(loadBalancerId: $0, additionalCertificates: usage[$0] ?? 0, quota: nil)
      })
    recordState(plan: plan, outcomes: outcomes)
    return (plan, DeploymentReport(dryRun: false, certificates: [certificate], listeners: outcomes))
  }

  private func recordState(plan: DeploymentPlan, outcomes: [ListenerOutcome]) {
    guard let state else { return }
    let finished = outcomes.filter { $0.outcome == .updated }
    guard !finished.isEmpty else { return }
    let records = recordsAfter(plan: plan, updated: Set(finished.map(\.listenerId)))
    try? state.update { snapshot in
      for (id, record) in records { snapshot.listeners[id] = record }
    }
  }

  // MARK: - dry run

  private func precheck(_ lp: ListenerPlan, plan: DeploymentPlan) async -> ListenerOutcome {
    var outcome = ListenerOutcome(
      listenerId: lp.listenerId, loadBalancerId: lp.loadBalancerId, deployment: plan.deployment, outcome: .unchanged,
      actions: lp.actions, notes: lp.notes)
    if let error = lp.error {
      outcome.outcome = .failed
      outcome.error = error
      return outcome
    }
    guard !lp.actions.isEmpty else { return outcome }
    outcome.outcome = .planned
    for action in lp.actions {
      if action.certificateIds.contains(MappedCertificate.pendingIdentifier) {
        outcome.notes.append("\(action.kind.rawValue) precheck skipped: the certificate is not uploaded yet")
        continue
      }
      let token = ClientTokens.token(
        listenerId: lp.listenerId, operation: action.kind.rawValue + "-dryrun", certificateIds: action.certificateIds,
        state: lp.currentCertificateIds)
      do {
        switch action.kind {
        case .associate:
          _ = try await backend.associateCertificates(
            listenerId: lp.listenerId, certificateIds: action.certificateIds, clientToken: token, dryRun: true)
        case .dissociate:
          _ = try await backend.dissociateCertificates(
            listenerId: lp.listenerId, certificateIds: action.certificateIds, clientToken: token, dryRun: true)
        case .replaceDefault:
          if let id = action.certificateIds.first {
            _ = try await backend.replaceDefaultCertificate(
              listenerId: lp.listenerId, certificateId: id, clientToken: token, dryRun: true)
          }
        }
      } catch {
        if Self.isQuota(error), action.kind == .associate, !lp.quotaRetirable.isEmpty {
          outcome.notes.append("quota full: expired superseded certificates will be retired first")
          continue
        }
        outcome.outcome = .failed
        outcome.error = "\(action.kind.rawValue) precheck failed: \(error)"
        return outcome
      }
    }
    return outcome
  }

  // MARK: - real run

  private func run(_ lp: ListenerPlan, deployment: String?, usage: LoadBalancerUsage?) async -> ListenerOutcome {
    var outcome = ListenerOutcome(
      listenerId: lp.listenerId, loadBalancerId: lp.loadBalancerId, deployment: deployment, outcome: .unchanged,
      actions: [], notes: lp.notes)
    if let error = lp.error {
      outcome.outcome = .failed
      outcome.error = error
      return outcome
    }
    guard !lp.actions.isEmpty else { return outcome }
    if let signal = stop?.requested {
      outcome.outcome = .skipped
      outcome.error = "not started: stopped by \(StopSignal.name(signal))"
      return outcome
    }
    var retired: Set<String> = []
    do {
      // Proactive quota handling when the quota is known and already reached.
      if let usage, let quota = usage.quota, usage.additionalCertificates >= quota,
        lp.actions.contains(where: { $0.kind == .associate }), !lp.quotaRetirable.isEmpty
      {
        try await retireForQuota(lp, into: &outcome, retired: &retired)
      }
      for action in lp.actions {
        switch action.kind {
        case .associate:
          do {
            try await change(lp, action: action) { token in
              try await backend.associateCertificates(
                listenerId: lp.listenerId, certificateIds: action.certificateIds, clientToken: token, dryRun: false)
            }
          } catch let error as CertHookError where Self.isQuota(error) {
            let remaining = lp.quotaRetirable.filter { !retired.contains($0) }
            guard !remaining.isEmpty else { throw quotaError(lp, usage: usage, error: error) }
            try await retireForQuota(lp, into: &outcome, retired: &retired)
            do {
              // A new token: the refused first attempt must not be replayed.
              try await change(lp, action: action, tokenSalt: "after-quota-retirement") { token in
                try await backend.associateCertificates(
                  listenerId: lp.listenerId, certificateIds: action.certificateIds, clientToken: token, dryRun: false)
              }
            } catch let error as CertHookError where Self.isQuota(error) {
              throw quotaError(lp, usage: usage, error: error)
            }
          }
          do {
            try await verify(lp.listenerId, associated: action.certificateIds)
          } catch is AssociationNotApplied {
            // The token matched an earlier, identical change (attach, detach, attach again from the same state),
            // so the API answered with that change's finished job. Send it once more as a new change.
            logger.info("associate replayed an earlier change; sending it again", metadata: ["listener": "\(lp.listenerId)"])
            try await change(lp, action: action, tokenSalt: "again-\(Int(now.timeIntervalSince1970))") { token in
              try await backend.associateCertificates(
                listenerId: lp.listenerId, certificateIds: action.certificateIds, clientToken: token, dryRun: false)
            }
            try await verify(lp.listenerId, associated: action.certificateIds)
          }
          outcome.actions.append(action)
          try await verifyServing(lp, action.certificateIds, deployment: deployment)
        case .dissociate:
          let ids = action.certificateIds.filter { !retired.contains($0) }
          guard !ids.isEmpty else { continue }
          if let serving = lp.requiresServing, !outcome.actions.contains(where: { $0.kind == .associate }) {
            // Attached before this run (e.g. by a run that was interrupted): make sure it really serves.
            try await verify(lp.listenerId, associated: [serving], waitingForRunning: true)
          }
          let remaining = PlannedAction(kind: .dissociate, certificateIds: ids, reason: action.reason)
          try await change(lp, action: remaining) { token in
            try await backend.dissociateCertificates(
              listenerId: lp.listenerId, certificateIds: ids, clientToken: token, dryRun: false)
          }
          outcome.actions.append(remaining)
        case .replaceDefault:
          guard let id = action.certificateIds.first else { continue }
          try await change(lp, action: action) { token in
            let job = try await backend.replaceDefaultCertificate(
              listenerId: lp.listenerId, certificateId: id, clientToken: token, dryRun: false)
            return job.map { [$0] } ?? []
          }
          try await verifyDefault(lp.listenerId, id)
          outcome.actions.append(action)
          try await verifyServing(lp, [id], deployment: deployment)
        }
      }
      outcome.outcome = .updated
    } catch {
      outcome.outcome = .failed
      outcome.error = "\(error)"
      if !outcome.actions.isEmpty || !retired.isEmpty {
        outcome.notes.append(
          "stopped after \(outcome.actions.count) completed action(s); certificates not yet dissociated stay in place")
      }
      logger.error("listener change failed", metadata: ["listener": "\(lp.listenerId)", "error": "\(error)"])
    }
    return outcome
  }

  private func retireForQuota(_ lp: ListenerPlan, into outcome: inout ListenerOutcome, retired: inout Set<String>)
    async throws
  {
    let ids = lp.quotaRetirable.filter { !retired.contains($0) }
    guard !ids.isEmpty else { return }
    let action = PlannedAction(
      kind: .dissociate, certificateIds: ids, reason: "quota full: retiring expired superseded certificates first")
    try await change(lp, action: action) { token in
      try await backend.dissociateCertificates(
        listenerId: lp.listenerId, certificateIds: ids, clientToken: token, dryRun: false)
    }
    retired.formUnion(ids)
    outcome.actions.append(action)
  }

  private func quotaError(_ lp: ListenerPlan, usage: LoadBalancerUsage?, error: Error) -> CertHookError {
    CertHookError.quotaExceeded(
      loadBalancerId: lp.loadBalancerId ?? "?", usage: usage?.additionalCertificates ?? 0, quota: usage?.quota,
      detail: "\(error)")
  }

  /// One write on a listener: wait until Running, send with a deterministic token, wait for its jobs.
  /// `IncorrectStatus.Listener` / `ResourceInConfiguring.Listener` (another change still applying) are retried.
  private func change(
    _ lp: ListenerPlan, action: PlannedAction, tokenSalt: String = "", _ send: (String) async throws -> [String]
  ) async throws {
    let token = ClientTokens.token(
      listenerId: lp.listenerId, operation: action.kind.rawValue + tokenSalt, certificateIds: action.certificateIds,
      state: lp.currentCertificateIds)
    var attempt = 0
    while true {
      attempt += 1
      let jobs: [String]
      do {
        jobs = try await send(token)
      } catch let error as CertHookError {
        let code = error.apiCode ?? ""
        if Self.busyCodes.contains(code), attempt < 6 {
          // Another change is still being applied: wait until the listener is Running, then try again.
          logger.debug("listener busy; retrying", metadata: ["listener": "\(lp.listenerId)", "code": "\(code)"])
          try await backend.waitForListenerRunning(lp.listenerId, timeout: jobTimeout)
          continue
        }
        if action.kind == .associate, code.hasPrefix("ResourceAlreadyAssociated") { return }
        if action.kind == .dissociate, code.hasPrefix("ResourceNotAssociated") { return }
        throw error
      }
      // The job's success is the end of this change; the next one waits for it (one change at a time).
      for job in jobs { try await backend.waitForJob(job, timeout: jobTimeout) }
      return
    }
  }

  private func verify(_ listenerId: String, associated ids: [String], waitingForRunning: Bool = false) async throws {
    for attempt in 0..<6 {
      if waitingForRunning || attempt > 0 {
        try await backend.waitForListenerRunning(listenerId, timeout: jobTimeout)
      }
      let certs = try await backend.listListenerCertificates(listenerId)
      let status = Dictionary(certs.map { ($0.certificateId, $0.status) }, uniquingKeysWith: { a, _ in a })
      let missing = ids.filter { status[$0] == nil }
      if !missing.isEmpty { throw AssociationNotApplied(listenerId: listenerId, missing: missing) }
      if ids.allSatisfy({ status[$0]?.lowercased() == "associated" }) { return }
      if attempt < 5 { try await Task.sleep(nanoseconds: UInt64(20_000_000 * (attempt + 1))) }
    }
    throw CertHookError.timeout("\(listenerId): \(ids.joined(separator: ", ")) did not reach Associated")
  }

  /// `verify: tls`: the handshake proof, after `Associated` and before any dissociation (a throw keeps the old ones).
  private func verifyServing(_ lp: ListenerPlan, _ ids: [String], deployment: String?) async throws {
    guard let servingVerifier else { return }
    for id in ids {
      try await servingVerifier.verifyServing(
        certificateId: id, listenerId: lp.listenerId, loadBalancerId: lp.loadBalancerId, port: lp.port,
        deployment: deployment)
    }
  }

  private func verifyDefault(_ listenerId: String, _ id: String) async throws {
    let listener = try await backend.getListener(listenerId)
    if let current = listener.defaultCertificateId, current != id {
      throw CertHookError.cloud(
        code: nil, message: "\(listenerId): default certificate is \(current) after replacing it with \(id)")
    }
  }

  private func recordsAfter(plan: DeploymentPlan, updated: Set<String>) -> [String: ListenerRecord] {
    var result: [String: ListenerRecord] = [:]
    for lp in plan.listeners where updated.contains(lp.listenerId) {
      var ids = Set(lp.currentCertificateIds)
      for action in lp.actions {
        switch action.kind {
        case .associate: ids.formUnion(action.certificateIds)
        case .dissociate: ids.subtract(action.certificateIds)
        case .replaceDefault:
          if let old = lp.defaultCertificateId { ids.remove(old) }
          ids.formUnion(action.certificateIds)
        }
      }
      result[lp.listenerId] = ListenerRecord(certificateIds: ids.sorted(), updatedAt: now)
    }
    return result
  }

  /// Codes meaning "the listener or its load balancer is busy": wait for Running and send again.
  static var busyCodes: Set<String> { ApiAction.anyBusyCodes }

  static func isQuota(_ error: Error) -> Bool {
    ((error as? CertHookError)?.apiCode ?? "").hasPrefix("ResourceQuotaExceeded")
  }
}

/// Counts finished listeners across concurrent tasks.
final class ProgressCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var done = 0
  let total: Int

  init(total: Int) {
    self.total = total
  }

  func increment() -> Int {
    lock.lock()
    defer { lock.unlock() }
    done += 1
    return done
  }
}

/// An associate job finished, yet the certificates are not on the listener (e.g. the API replayed an earlier
/// change with the same ClientToken).
struct AssociationNotApplied: Error, CustomStringConvertible {
  let listenerId: String
  let missing: [String]

  var description: String {
    "\(listenerId): the associate job finished but \(missing.joined(separator: ", ")) is not on the listener"
  }
}
