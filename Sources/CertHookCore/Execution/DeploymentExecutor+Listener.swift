import Foundation
import Logging

extension DeploymentExecutor {
  /// Runs one listener's planned actions. `retireFirst`: retire its expired superseded certificates before
  /// associating (the quota is tight). `round`: how often the scheduler started it before (a refused association
  /// is sent again with a new ClientToken).
  func run(_ lp: ListenerPlan, deployment: String?, retireFirst: Bool, round: Int) async -> (
    ListenerOutcome, RotationScheduler.Completion
  ) {
    let result = await runActions(lp, deployment: deployment, retireFirst: retireFirst, round: round)
    // However it ended, no reader of the book waits for this listener any longer.
    await book?.endChange(lp.listenerId)
    return result
  }

  private func runActions(_ lp: ListenerPlan, deployment: String?, retireFirst: Bool, round: Int) async -> (
    ListenerOutcome, RotationScheduler.Completion
  ) {
    var outcome = ListenerOutcome(
      listenerId: lp.listenerId, loadBalancerId: lp.loadBalancerId, deployment: deployment, outcome: .unchanged,
      actions: [], notes: lp.notes)
    if let error = lp.error {
      outcome.outcome = .failed
      outcome.error = error
      return (outcome, .failed(changed: false))
    }
    guard !lp.actions.isEmpty else { return (outcome, .applied) }
    if let signal = stop?.requested {
      outcome.outcome = .skipped
      outcome.error = "not started: stopped by \(StopSignal.name(signal))"
      return (outcome, .failed(changed: false))
    }
    var retired: Set<String> = []
    do {
      if retireFirst, lp.actions.contains(where: { $0.kind == .associate }), !lp.quotaRetirable.isEmpty {
        try await retireForQuota(lp, into: &outcome, retired: &retired)
      }
      for action in lp.actions {
        switch action.kind {
        case .associate:
          try await associate(lp, action: action, round: round, into: &outcome, retired: &retired)
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
      return (outcome, .applied)
    } catch let refusal as QuotaRefusal where outcome.actions.isEmpty && retired.isEmpty {
      // Nothing changed on this listener: the scheduler queues it again (or fails it, naming the quota).
      outcome.outcome = .failed
      outcome.error = "\(refusal.error)"
      return (outcome, .refusedByQuota(quota: refusal.quota))
    } catch {
      outcome.outcome = .failed
      if let refusal = error as? QuotaRefusal {
        let quota = refusal.quota
        outcome.error =
          CertHookError.quotaExceeded(
            loadBalancerId: lp.loadBalancerId ?? "?", usage: quota ?? 0, quota: quota, detail: "\(refusal.error)"
          ).description
      } else {
        outcome.error = "\(error)"
      }
      if !outcome.actions.isEmpty || !retired.isEmpty {
        outcome.notes.append(
          "stopped after \(outcome.actions.count) completed action(s); certificates not yet dissociated stay in place")
      }
      logger.error("listener change failed", metadata: ["listener": "\(lp.listenerId)", "error": "\(error)"])
      return (outcome, .failed(changed: !outcome.actions.isEmpty || !retired.isEmpty))
    }
  }

  /// Associates, retiring expired superseded certificates when the API refuses for the quota, then verifies.
  private func associate(
    _ lp: ListenerPlan, action: PlannedAction, round: Int, into outcome: inout ListenerOutcome,
    retired: inout Set<String>
  ) async throws {
    let send: @Sendable (String) async throws -> [String] = { [backend] token in
      try await backend.associateCertificates(
        listenerId: lp.listenerId, certificateIds: action.certificateIds, clientToken: token, dryRun: false)
    }
    // A listener queued again after a refusal sends with a new token: the refused attempt must not be replayed.
    let salt = round > 0 ? "after-quota-wait-\(round)" : ""
    var jobs: [String]
    do {
      jobs = try await change(lp, action: action, tokenSalt: salt, waitingForJobs: false, send)
    } catch let refusal as QuotaRefusal {
      guard lp.quotaRetirable.contains(where: { !retired.contains($0) }) else { throw refusal }
      try await retireForQuota(lp, into: &outcome, retired: &retired)
      // A new token: the refused first attempt must not be replayed.
      jobs = try await change(
        lp, action: action, tokenSalt: salt + "after-quota-retirement", waitingForJobs: false, send)
    }
    do {
      try await verifyAssociation(lp.listenerId, action.certificateIds, jobs: jobs)
    } catch is AssociationNotApplied {
      // The token matched an earlier, identical change (attach, detach, attach again from the same state),
      // so the API answered with that change's finished job. Send it once more as a new change.
      logger.info("associate replayed an earlier change; sending it again", metadata: ["listener": "\(lp.listenerId)"])
      let again = try await change(
        lp, action: action, tokenSalt: "again-\(Int(now.timeIntervalSince1970))", waitingForJobs: false, send)
      try await verifyAssociation(lp.listenerId, action.certificateIds, jobs: again)
    }
  }

  /// How many listing reads watch an association before its jobs are asked instead.
  static let associationLooks = 3

  /// The outcome of an association started by `jobs`. Where the product lists an association's progress
  /// (`associationWatch`), the listing read that verifies it is also the poll: one read where a job poll and a read
  /// were two. A certificate missing from the listing (the job failed, or the answer was an earlier change's
  /// replay), or one still `Associating` after `associationLooks` reads, is left to its jobs (a failed job throws its
  /// error) and the verification read that follows them, as for a product without a watch.
  private func verifyAssociation(_ listenerId: String, _ ids: [String], jobs: [String]) async throws {
    if let job = jobs.first, let watch = await backend.associationWatch(forJob: job) {
      try await backend.sleep(for: watch.first)
      looks: for look in 1...Self.associationLooks {
        switch try await read(listenerId, associating: ids) {
        case .associated: return
        case .missing: break looks
        case .pending:
          if look == Self.associationLooks { break looks }
          try await backend.sleep(for: watch.then)
        }
      }
    }
    for job in jobs { try await backend.waitForJob(job, timeout: jobTimeout) }
    try await verify(listenerId, associated: ids)
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

  /// One change on a listener: send with a deterministic token, then do what `ChangeDecision` says (wait for the
  /// jobs, unless `waitingForJobs` is false: then they are returned for the caller to watch; or wait for `Running`
  /// and send again while the listener is busy, at most `ChangeDecision.maxSends` sends in all).
  @discardableResult
  func change(
    _ lp: ListenerPlan, action: PlannedAction, tokenSalt: String = "", waitingForJobs: Bool = true,
    _ send: (String) async throws -> [String]
  ) async throws -> [String] {
    let token = ClientTokens.token(
      listenerId: lp.listenerId, operation: action.kind.rawValue + tokenSalt, certificateIds: action.certificateIds,
      state: lp.currentCertificateIds)
    // What the run remembers of this listener is about to be wrong: its readers wait for the verification read
    // (or for `run` to give the listener up).
    await book?.beginChange(lp.listenerId)
    return try await sendUntilDone(lp, action: action, token: token, waitingForJobs: waitingForJobs, send)
  }

  private func sendUntilDone(
    _ lp: ListenerPlan, action: PlannedAction, token: String, waitingForJobs: Bool,
    _ send: (String) async throws -> [String]
  ) async throws -> [String] {
    var sends = 0
    while true {
      sends += 1
      let result: Result<[String], CertHookError>
      do {
        result = .success(try await send(token))
      } catch let error as CertHookError {
        result = .failure(error)
      }
      switch ChangeDecision.after(result, kind: action.kind, sends: sends, listenerId: lp.listenerId) {
      case .waitForJobs(let jobs):
        // The job's success is the end of this change; the next one waits for it (one change at a time).
        guard waitingForJobs else { return jobs }
        for job in jobs { try await backend.waitForJob(job, timeout: jobTimeout) }
        return jobs
      case .alreadyApplied:
        return []
      case .resendWhenRunning:
        logger.debug("listener busy; sending again once it is Running", metadata: ["listener": "\(lp.listenerId)"])
        try await backend.waitForListenerRunning(lp.listenerId, timeout: jobTimeout)
      case .quotaRefused(let quota):
        if case .failure(let error) = result { throw QuotaRefusal(quota: quota, error: error) }
        return []
      case .fail(let error):
        throw error
      }
    }
  }

  private func verify(_ listenerId: String, associated ids: [String], waitingForRunning: Bool = false) async throws {
    for attempt in 0..<6 {
      if waitingForRunning || attempt > 0 {
        try await backend.waitForListenerRunning(listenerId, timeout: jobTimeout)
      }
      switch try await read(listenerId, associating: ids) {
      case .associated: return
      case .missing(let missing): throw AssociationNotApplied(listenerId: listenerId, missing: missing)
      case .pending: if attempt < 5 { try await backend.sleep(for: .milliseconds(20 * (attempt + 1))) }
      }
    }
    throw CertHookError.timeout("\(listenerId): \(ids.joined(separator: ", ")) did not reach Associated")
  }

  /// Where an association stands in one listing read.
  private enum AssociationReading {
    /// Every certificate is `Associated` (the listing is recorded in the book).
    case associated
    /// These certificates are not on the listener.
    case missing([String])
    /// All are listed, some not `Associated` yet.
    case pending
  }

  /// One `ListListenerCertificates` read of `listenerId`, for the association of `ids`.
  private func read(_ listenerId: String, associating ids: [String]) async throws -> AssociationReading {
    let certs = try await backend.listListenerCertificates(listenerId)
    let status = Dictionary(certs.map { ($0.certificateId, $0.status.lowercased()) }, uniquingKeysWith: { a, _ in a })
    let missing = ids.filter { status[$0] == nil }
    if !missing.isEmpty { return .missing(missing) }
    guard ids.allSatisfy({ status[$0] == "associated" }) else { return .pending }
    await book?.record(certs, of: listenerId)
    return .associated
  }

  private func verifyDefault(_ listenerId: String, _ id: String) async throws {
    let listener = try await backend.getListener(listenerId)
    if let current = listener.defaultCertificateId, current != id {
      throw CertHookError.cloud(
        code: nil, message: "\(listenerId): default certificate is \(current) after replacing it with \(id)")
    }
  }
}

/// The API refused an association because the load balancer's quota is full.
struct QuotaRefusal: Error, CustomStringConvertible {
  /// The quota the answer named, when it named one.
  let quota: Int?
  /// The API's answer.
  let error: CertHookError

  var description: String { "\(error)" }
}
