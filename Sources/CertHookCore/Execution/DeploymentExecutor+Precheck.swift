import Foundation

extension DeploymentExecutor {
  /// The dry run of one listener: the API's DryRun precheck of every planned action, nothing changed.
  func precheck(_ lp: ListenerPlan, plan: DeploymentPlan) async -> ListenerOutcome {
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
        if let e = error as? CertHookError, ListenerAnswer.classify(e) == .quotaFull, action.kind == .associate,
          !lp.quotaRetirable.isEmpty
        {
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
}
