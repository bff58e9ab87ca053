import CertificateKit
import Foundation

/// Turns a finished run into notification events: one per failed listener, one per deployment-wide error, one
/// per refused certificate, one per certificate inside the warning window, and one success per deployment that
/// changed listeners without a failure. Dry runs report failures and warnings only.
public enum NotificationEvents {
  /// Events of a `sync` or `deploy-hook` run; `deployments` names every deployment of the configuration (to
  /// attribute general errors), `now` and `policy` judge the deployed certificates' expiry.
  public static func from(
    report: DeploymentReport, plans: [DeploymentPlan], deployments: [String], now: Date, policy: CheckPolicy
  ) -> [NotificationEvent] {
    var events: [NotificationEvent] = []
    let certificateOf: (String?) -> MappedCertificate? = { name in
      plans.first { $0.deployment == name }?.certificate ?? (plans.count == 1 ? plans.first?.certificate : nil)
    }
    for error in report.errors {
      let deployment = deployments.first { error.hasPrefix("\($0): ") }
      let certificate = certificateOf(deployment)
      events.append(
        NotificationEvent(
          kind: .deploymentFailed, deployment: deployment, certificate: certificate.map(label),
          domains: certificate?.dnsNames ?? [], errorCode: FailureText.code(in: error),
          requestId: FailureText.requestId(in: error), message: error))
    }
    for outcome in report.listeners where outcome.outcome == .failed {
      let certificate = certificateOf(outcome.deployment)
      let error = outcome.error ?? "failed"
      events.append(
        NotificationEvent(
          kind: .listenerFailed, deployment: outcome.deployment, listeners: [outcome.listenerId],
          certificate: certificate.map(label), domains: certificate?.dnsNames ?? [],
          errorCode: FailureText.code(in: error), requestId: FailureText.requestId(in: error),
          message: "\(outcome.listenerId): \(error)"))
    }
    for plan in plans {
      guard let notAfter = plan.certificate.notAfter else { continue }
      let days = daysRemaining(until: notAfter, now: now)
      guard days <= policy.warningDays else { continue }
      let listeners = plan.listeners.map(\.listenerId)
      events.append(
        NotificationEvent(
          kind: .expiryWarning, deployment: plan.deployment, listeners: listeners, certificate: label(plan.certificate),
          domains: plan.certificate.dnsNames, notAfter: notAfter, daysRemaining: days,
          message: days < 0
            ? "the deployed certificate expired \(-days) day(s) ago"
            : "the deployed certificate expires in \(days) day(s) (warning window \(policy.warningDays) days)"))
    }
    guard !report.dryRun else { return events }
    let byDeployment = Dictionary(grouping: report.listeners) { $0.deployment ?? "" }
    for (name, outcomes) in byDeployment.sorted(by: { $0.key < $1.key }) {
      let updated = outcomes.filter { $0.outcome == .updated }.map(\.listenerId)
      let deployment = name.isEmpty ? nil : name
      let failedHere = outcomes.contains { $0.outcome == .failed }
        || report.errors.contains { deployment != nil && $0.hasPrefix("\(name): ") }
      guard !updated.isEmpty, !failedHere else { continue }
      let certificate = certificateOf(deployment)
      events.append(
        NotificationEvent(
          kind: .success, deployment: deployment, listeners: updated, certificate: certificate.map(label),
          domains: certificate?.dnsNames ?? [],
          message: "\(updated.count) listener(s) now serve the certificate"))
    }
    return events
  }

  /// The event of a refused certificate (nothing changed).
  public static func refused(reasons: [String], certificate: String?, deployments: [String]) -> NotificationEvent {
    NotificationEvent(
      kind: .certificateRefused, deployment: deployments.isEmpty ? nil : deployments.joined(separator: ", "),
      certificate: certificate, message: "refused to deploy (nothing was changed): " + reasons.joined(separator: "; "))
  }

  /// Expiry warnings of an audit: one per listener certificate inside the warning window (or expired).
  public static func from(audit: AuditReport) -> [NotificationEvent] {
    audit.rows.filter { ["warning", "critical", "expired"].contains($0.status) }.map { row in
      let days = row.daysRemaining
      return NotificationEvent(
        kind: .expiryWarning, listeners: [row.listenerId], certificate: row.name ?? row.certificateId,
        domains: row.domains, notAfter: row.notAfter, daysRemaining: days,
        message: "\(row.listenerId) (\(row.loadBalancerId)) serves \(row.name ?? row.certificateId): \(row.status)"
          + (days.map { $0 < 0 ? ", expired \(-$0) day(s) ago" : ", expires in \($0) day(s)" } ?? ""))
    }
  }

  static func label(_ certificate: MappedCertificate) -> String {
    certificate.certId.map { "\(certificate.name) (CAS \($0))" } ?? certificate.name
  }

  static func daysRemaining(until notAfter: Date, now: Date) -> Int {
    Int((notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
  }
}
