import CertHookCore
import Foundation

/// Plans and outcomes as text that reads like `terraform plan`: listeners grouped per deployment and load
/// balancer, every note once (with the listeners it concerns), then a line with counts per action.
///
/// A dry run ends with `Plan: 1 upload, 200 associate, 200 dissociate, 0 unchanged`, a real run with
/// `Applied: ...`; both keep the `summary:` line of listener outcomes. Failed rows are red on a terminal.
enum PlanText {
  /// The whole report, grouped by the plans it followed.
  static func render(
    _ report: DeploymentReport, plans: [DeploymentPlan], title: String? = nil, style: TerminalStyle
  ) -> String {
    var out = ""
    if report.dryRun { out += "dry run: nothing was changed; API prechecks only\n" }
    if let title { out += title + "\n" }
    let planned = Set(plans.map(\.certificate.identifier))
    for c in report.certificates where c.identifier != "(prune)" && !planned.contains(c.identifier) {
      out += ReportText.certificate(c) + "\n"
    }
    var ports: [String: String] = [:]
    for plan in plans {
      for lp in plan.listeners {
        guard let proto = lp.listenerProtocol, let port = lp.port else { continue }
        ports[key(plan.deployment, lp.listenerId)] = "\(proto):\(port)"
      }
    }
    var groups: [(deployment: String?, certificate: MappedCertificate?, planned: Set<String>)] = []
    for plan in plans { groups.append((plan.deployment, plan.certificate, Set(plan.listeners.map(\.listenerId)))) }
    for l in report.listeners where !groups.contains(where: { $0.deployment == l.deployment }) {
      groups.append((l.deployment, nil, []))
    }
    // A deployment has one plan per (account, region) in a fleet run: each listener goes under the plan that
    // planned it, else under its deployment's first plan.
    var home: [Int] = []
    for l in report.listeners {
      let same = groups.indices.filter { groups[$0].deployment == l.deployment }
      home.append(same.first { groups[$0].planned.contains(l.listenerId) } ?? same.first ?? 0)
    }
    let idWidth = max(8, report.listeners.map(\.listenerId.count).max() ?? 0)
    let portWidth = max(9, ports.values.map(\.count).max() ?? 0)
    for (index, group) in groups.enumerated() {
      let listeners = zip(report.listeners, home).filter { $0.1 == index }.map(\.0)
      var header = group.deployment.map { "deployment \($0)" } ?? ""
      if let c = group.certificate { header += (header.isEmpty ? "" : ": ") + ReportText.certificate(c) }
      if !header.isEmpty { out += header + "\n" }
      let byBalancer = Dictionary(grouping: listeners) { $0.loadBalancerId ?? "" }
      for lb in byBalancer.keys.sorted() {
        out += "  " + (lb.isEmpty ? "load balancer unknown" : "load balancer \(lb)") + "\n"
        for l in (byBalancer[lb] ?? []).sorted(by: { $0.listenerId < $1.listenerId }) {
          let endpoint = ports[key(l.deployment, l.listenerId)] ?? "-"
          let row = "    " + ReportText.pad(l.listenerId, idWidth) + "  " + ReportText.pad(endpoint, portWidth) + "  "
            + ReportText.pad(l.outcome.rawValue, 9) + "  " + ReportText.actions(l)
          out += paint(row.trimmingTrailingSpaces(), l.outcome, style) + "\n"
          if let error = l.error { out += paint("      error: \(error)", l.outcome, style) + "\n" }
        }
      }
    }
    out += notes(report)
    for error in report.errors { out += style.paint("error: \(error)", .red) + "\n" }
    for warning in report.warnings { out += "warning: \(warning)\n" }
    out += ActionCounts(report).line(dryRun: report.dryRun) + "\n"
    out += "summary: \(report.summaryLine)\n"
    return out
  }

  /// Every distinct note once, the listener's own ID taken out, followed by the listeners it concerns; in a dry
  /// run, how many listeners passed the API's prechecks.
  static func notes(_ report: DeploymentReport) -> String {
    var order: [String] = []
    var concerned: [String: [String]] = [:]
    var prechecked = 0
    for l in report.listeners {
      var skipped = false
      for note in l.notes {
        if note.contains("precheck skipped") { skipped = true }
        let text = note.replacingOccurrences(of: "\(l.listenerId) ", with: "")
        if concerned[text] == nil { order.append(text) }
        if !(concerned[text, default: []].contains(l.listenerId)) { concerned[text, default: []].append(l.listenerId) }
      }
      if report.dryRun, l.outcome == .planned, !skipped { prechecked += 1 }
    }
    guard !order.isEmpty || prechecked > 0 else { return "" }
    var out = "notes:\n"
    for text in order { out += "  \(text) (\(listing(concerned[text] ?? [])))\n" }
    if prechecked > 0 { out += "  API prechecks passed on \(prechecked) listener\(prechecked == 1 ? "" : "s")\n" }
    return out
  }

  /// `a`, `a, b, c` or `a, b, c and 197 more`.
  static func listing(_ ids: [String]) -> String {
    ids.count <= 3 ? ids.joined(separator: ", ") : ids.prefix(3).joined(separator: ", ") + " and \(ids.count - 3) more"
  }

  private static func key(_ deployment: String?, _ listenerId: String) -> String {
    (deployment ?? "") + "\u{0}" + listenerId
  }

  private static func paint(_ text: String, _ outcome: ListenerOutcome.Outcome, _ style: TerminalStyle) -> String {
    outcome == .failed ? style.paint(text, .red) : text
  }
}
