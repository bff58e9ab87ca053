import Foundation

/// Decides one listener's plan from what was observed on it, as a pure function: the listener, its certificates,
/// the facts of the attached certificates, the certificate to deploy and the policy in, a `ListenerPlan` out.
///
/// The rule it keeps: the new certificate is associated (or made the default) unless already served, and an
/// attached certificate is retired only when `Supersession` says the new one supersedes it and no other
/// deployment of the configuration deploys it.
public enum ListenerDecision {
  /// The certificates whose facts `plan` needs (attached, not dissociating, not default, not the new one).
  public static func factsNeeded(certificates: [CloudListenerCertificate], new: MappedCertificate) -> [String] {
    certificates.filter { !$0.isDissociating && !$0.isDefault && $0.certificateId != new.identifier }
      .map(\.certificateId).sorted()
  }

  /// The plan for `listener`, whose certificates were read as `certificates`.
  public static func plan(
    listener: CloudListener, certificates certs: [CloudListenerCertificate], facts: [String: RemoteCertificate],
    new: MappedCertificate, mode: DeploymentMode, replace: ReplacePolicy, protected: Set<String>, now: Date
  ) -> ListenerPlan {
    var plan = ListenerPlan(
      listenerId: listener.id, loadBalancerId: listener.loadBalancerId, listenerProtocol: listener.listenerProtocol,
      port: listener.port)
    plan.currentCertificateIds = certs.map(\.certificateId).sorted()
    let defaultId = certs.first(where: \.isDefault)?.certificateId ?? listener.defaultCertificateId
    plan.defaultCertificateId = defaultId
    let present = certs.filter { !$0.isDissociating }
    let newIsDefault = defaultId == new.identifier
    let newAttached = present.contains { $0.certificateId == new.identifier }

    switch mode {
    case .additional:
      if newIsDefault {
        plan.notes.append("\(new.identifier) is already the default certificate of \(listener.id)")
      } else if !newAttached {
        plan.actions.append(
          PlannedAction(
            kind: .associate, certificateIds: [new.identifier], reason: "the listener does not serve it yet"))
      }
    case .default:
      if !newIsDefault {
        plan.actions.append(
          PlannedAction(
            kind: .replaceDefault, certificateIds: [new.identifier],
            reason: "mode default: replaces default certificate \(defaultId ?? "(none)")"))
      }
    }

    guard replace == .covered else { return plan }
    var retire: [String] = []
    var expired: [String] = []
    for attached in present.sorted(by: { $0.certificateId < $1.certificateId }) {
      if attached.certificateId == new.identifier { continue }
      // In mode default the old default is replaced by the update itself, not dissociated; in mode additional
      // the default certificate is never touched, so its facts are not even looked up.
      if attached.isDefault { continue }
      if protected.contains(attached.certificateId) {
        plan.notes.append(
          "left \(listener.id) cert \(attached.certificateId) alone: another deployment of the configuration deploys it"
        )
        continue
      }
      let old =
        facts[attached.certificateId]
        ?? RemoteCertificate(
          identifier: attached.certificateId, certId: nil, name: nil, commonName: nil, dnsNames: [],
          namesSource: "unknown", notAfter: nil, sha256: nil)
      switch Supersession.judge(old: old, isDefault: attached.isDefault, new: new, mode: mode, listenerId: listener.id)
      {
      case .superseded(let reason):
        retire.append(attached.certificateId)
        if let end = old.notAfter, end <= now { expired.append(attached.certificateId) }
        plan.notes.append("retire \(attached.certificateId): \(reason)")
      case .keep(let note):
        if let note { plan.notes.append(note) }
      }
    }
    if !retire.isEmpty {
      plan.actions.append(
        PlannedAction(
          kind: .dissociate, certificateIds: retire,
          reason: "superseded by \(new.identifier) (every SAN covered, expires earlier)"))
      plan.quotaRetirable = expired
      if mode == .additional { plan.requiresServing = new.identifier }
    }
    return plan
  }
}
