import AlibabaCloud
import Foundation
import NIOConcurrencyHelpers
import Logging

/// Executes a `DeploymentPlan` exactly: load balancers side by side, each one's listeners in waves under its
/// additional-certificate quota, one change at a time per listener.
///
/// Per listener: wait until `Running`, associate, wait for the job, verify `Associated`, then dissociate what the
/// plan retires. A failure after associating leaves the old certificates in place (both served, never neither).
/// `RotationScheduler` decides which listeners start (the usage never exceeds a known quota; when the quota is
/// tight, expired superseded certificates are retired first); `ChangeDecision` decides what follows each answer.
/// One listener's failure never stops the others.
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
  /// The run's memory of listeners' certificates, kept true for the planners of later deployments (optional).
  public var book: ListenerCertificateBook?
  /// The account's allowance for planning ahead of its changes (nil: every load balancer is planned at once).
  public var planningAllowance: PlanningAllowance?

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
    if dryRun {
      let outcomes: [ListenerOutcome] = await boundedConcurrentMap(plan.listeners, limit: concurrency) { lp in
        let outcome = await precheck(lp, plan: plan)
        report(outcome, counter: counter)
        return outcome
      }
      return DeploymentReport(dryRun: true, certificates: [plan.certificate], listeners: outcomes)
    }
    let usage = Dictionary(uniqueKeysWithValues: plan.loadBalancers.map { ($0.loadBalancerId, $0) })
    let groups = Dictionary(grouping: plan.listeners) { $0.loadBalancerId ?? "" }
    let slots = ProductSlots(concurrency)
    var outcomes: [ListenerOutcome] = []
    await withTaskGroup(of: [ListenerOutcome].self) { group in
      for lb in groups.keys.sorted() {
        let plans = groups[lb] ?? []
        group.addTask {
          await runLoadBalancer(
            plans, usage: usage[lb], deployment: plan.deployment, slots: slots.of(lb), counter: counter)
        }
      }
      for await part in group { outcomes += part }
    }
    outcomes.sort { $0.listenerId < $1.listenerId }
    await recordState(plan: plan, outcomes: outcomes)
    return DeploymentReport(dryRun: false, certificates: [plan.certificate], listeners: outcomes)
  }

  /// Plans and changes load balancer by load balancer: each load balancer is read and planned right before its
  /// rotation starts, so changes begin while the next one is still being read. Returns the plan that was
  /// followed and the report.
  public func planAndExecute(
    planner: DeploymentPlanner, certificate: MappedCertificate, targets: [DeploymentTarget], mode: DeploymentMode,
    replace: ReplacePolicy, deployment: String? = nil
  ) async -> (plan: DeploymentPlan, report: DeploymentReport) {
    let resolved = await planner.resolve(targets)
    let counter = ProgressCounter(total: resolved.listeners.count + resolved.failures.count)
    let slots = ProductSlots(concurrency)
    var outcomes: [ListenerOutcome] = []
    var listenerPlans = resolved.failures
    var usages: [LoadBalancerUsage] = []
    for failure in resolved.failures {
      let outcome = ListenerOutcome(
        listenerId: failure.listenerId, loadBalancerId: failure.loadBalancerId, deployment: deployment,
        outcome: .failed, notes: failure.notes, error: failure.error)
      outcomes.append(outcome)
      report(outcome, counter: counter)
    }
    let groups = Dictionary(grouping: resolved.listeners, by: \.loadBalancerId)
    await withTaskGroup(of: [ListenerOutcome].self) { group in
      for lb in Self.planningOrder(groups.keys) {
        let listeners = groups[lb] ?? []
        await planningAllowance?.take(listeners.count)
        let planned = await planner.planLoadBalancer(listeners, certificate: certificate, mode: mode, replace: replace)
        listenerPlans += planned.listeners
        if let usage = planned.usage { usages.append(usage) }
        // Listeners with nothing to change are given back at once; the others once the load balancer is done.
        let changing = planned.listeners.filter { $0.error == nil && !$0.actions.isEmpty }.count
        await planningAllowance?.giveBack(max(0, listeners.count - changing))
        group.addTask { [planningAllowance] in
          let outcomes = await runLoadBalancer(
            planned.listeners, usage: planned.usage, deployment: deployment, slots: slots.of(lb), counter: counter)
          await planningAllowance?.giveBack(changing)
          return outcomes
        }
      }
      for await part in group { outcomes += part }
    }
    outcomes.sort { $0.listenerId < $1.listenerId }
    listenerPlans.sort { $0.listenerId < $1.listenerId }
    let plan = DeploymentPlan(
      deployment: deployment, certificate: certificate, mode: mode, replace: replace, listeners: listenerPlans,
      loadBalancers: usages.sorted { $0.loadBalancerId < $1.loadBalancerId })
    await recordState(plan: plan, outcomes: outcomes)
    return (plan, DeploymentReport(dryRun: false, certificates: [certificate], listeners: outcomes))
  }

  /// The order load balancers are planned (and so start) in: the products taken in turn (each product's first load
  /// balancer, then each one's second...), so every product's changes start early instead of after all the load
  /// balancers of the products sorted before it have been read; by key within a product.
  public static func planningOrder(_ keys: some Collection<String>) -> [String] {
    let byProduct = Dictionary(grouping: keys, by: { ListenerProduct(key: $0) }).mapValues { $0.sorted() }
    let products = byProduct.keys.sorted()
    let rounds = byProduct.values.map(\.count).max() ?? 0
    return (0..<rounds).flatMap { round in products.compactMap { byProduct[$0]?.dropFirst(round).first } }
  }

  /// Rotates the listeners of one load balancer in the waves `RotationScheduler` decides.
  func runLoadBalancer(
    _ plans: [ListenerPlan], usage: LoadBalancerUsage?, deployment: String?, slots: ListenerSlots,
    counter: ProgressCounter
  ) async -> [ListenerOutcome] {
    var outcomes: [ListenerOutcome] = []
    var active: [String: ListenerPlan] = [:]
    for lp in plans {
      if lp.error != nil || lp.actions.isEmpty {
        let outcome = ListenerOutcome(
          listenerId: lp.listenerId, loadBalancerId: lp.loadBalancerId, deployment: deployment,
          outcome: lp.error == nil ? .unchanged : .failed, actions: [], notes: lp.notes, error: lp.error)
        outcomes.append(outcome)
        report(outcome, counter: counter)
      } else {
        active[lp.listenerId] = lp
      }
    }
    guard let first = active.values.first else { return outcomes }
    let lb = first.loadBalancerId ?? ""
    var scheduler = RotationScheduler(
      loadBalancerId: lb, quota: usage?.quota, usage: usage?.additionalCertificates ?? 0,
      items: active.values.sorted { $0.listenerId < $1.listenerId }.map(RotationScheduler.Item.init))
    var rounds: [String: Int] = [:]
    // A load balancer that applies one change at a time (GA) gets one listener in flight: the others wait here
    // without holding one of the run's slots, which go to other load balancers meanwhile.
    let lane = ListenerProduct(key: lb).changesOneListenerAtATime ? ListenerSlots(1) : nil
    await withTaskGroup(of: (String, ListenerOutcome, RotationScheduler.Completion).self) { group in
      var actions = scheduler.begin()
      var running = 0
      while true {
        for action in actions {
          switch action {
          case .start(let ids):
            for id in ids {
              guard let lp = active[id] else { continue }
              let retireFirst = scheduler.retiresExpiredFirst(id)
              let round = rounds[id, default: 0]
              rounds[id] = round + 1
              running += 1
              let backlog = scheduler.queue.count
              group.addTask {
                await lane?.acquire()
                await slots.acquire(backlog: backlog)
                let (outcome, completion) = await run(lp, deployment: deployment, retireFirst: retireFirst, round: round)
                await slots.release()
                await lane?.release()
                return (id, outcome, completion)
              }
            }
          case .fail(let ids, let shortfall):
            for id in ids {
              let outcome = ListenerOutcome(
                listenerId: id, loadBalancerId: active[id]?.loadBalancerId, deployment: deployment, outcome: .failed,
                actions: [],
                notes: active[id]?.notes ?? [], error: Self.quotaError(shortfall).description)
              outcomes.append(outcome)
              report(outcome, counter: counter)
            }
          }
        }
        guard running > 0, let (id, outcome, completion) = await group.next() else { break }
        running -= 1
        if case .refusedByQuota = completion {
          logger.info("quota full; the listener waits for a free slot", metadata: ["listener": "\(id)"])
        } else {
          outcomes.append(outcome)
          report(outcome, counter: counter)
        }
        actions = scheduler.completed(id, completion)
      }
    }
    return outcomes
  }

  /// The error of a listener that cannot rotate within the quota, with the true usage and what is needed.
  public static func quotaError(_ shortfall: RotationScheduler.Shortfall) -> CertHookError {
    .quotaExceeded(
      loadBalancerId: shortfall.loadBalancerId, usage: shortfall.usage, quota: shortfall.quota,
      detail: "\(shortfall.detail); nothing was changed on this listener")
  }

  private func report(_ outcome: ListenerOutcome, counter: ProgressCounter) {
    let done = counter.increment()
    progress?(
      ExecutionProgress(completed: done, total: counter.total, listenerId: outcome.listenerId, outcome: outcome.outcome))
  }

  private func recordState(plan: DeploymentPlan, outcomes: [ListenerOutcome]) async {
    guard let state else { return }
    let finished = outcomes.filter { $0.outcome == .updated }
    guard !finished.isEmpty else { return }
    let records = recordsAfter(plan: plan, updated: Set(finished.map(\.listenerId)))
    await state.recordOrWarn { snapshot in
      for (id, record) in records { snapshot.listeners[id] = record }
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

}

/// Counts finished listeners across concurrent tasks.
final class ProgressCounter: Sendable {
  private let done = NIOLockedValueBox(0)
  let total: Int

  init(total: Int) {
    self.total = total
  }

  func increment() -> Int {
    done.withLockedValue {
      $0 += 1
      return $0
    }
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
