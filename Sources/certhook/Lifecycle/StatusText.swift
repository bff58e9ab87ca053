import CertHookCore
import Foundation

/// `certhook status` as text: per deployment its certificate facts, then one row per target listener with what
/// it serves now; failing rows are red, pending yellow and converged green on a terminal.
enum StatusText {
  /// The whole report with a summary line.
  static func render(_ report: StatusReport, style: TerminalStyle) -> String {
    var out = ""
    for d in report.deployments {
      out += paint("deployment \(d.name): \(d.state.rawValue)", d.state, style) + "\n"
      out += "  certificate  \(d.certificatePath ?? "(newest valid certificate in CAS)")\n"
      if let sha = d.sha256 { out += "  sha256       \(sha)\n" }
      if !d.names.isEmpty { out += "  names        \(d.names.joined(separator: ", "))\n" }
      if let end = d.notAfter { out += "  notAfter     \(RFC3339.format(end))\n" }
      out += "  CAS ID       \(d.casIdentifier ?? "not uploaded")\n"
      for problem in d.problems { out += paint("  problem: \(problem)", .failing, style) + "\n" }
      out += listenerTable(d.listeners, style: style)
    }
    let counts = report.counts
    let total = report.deployments.count
    let parts = DeploymentStatus.State.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }
    out += "summary: \(total) deployment\(total == 1 ? "" : "s"): " + parts.joined(separator: ", ") + "\n"
    return out
  }

  /// The listener rows of one deployment under a header.
  static func listenerTable(_ listeners: [ListenerStatus], style: TerminalStyle) -> String {
    guard !listeners.isEmpty else { return "" }
    let header = ["LISTENER", "LOAD BALANCER", "PORT", "STATE", "SERVES NOW", "PENDING"]
    let rows: [[String]] = listeners.map { l in
      let serving = l.serving.map { $0 == l.defaultCertificateId ? "\($0) (default)" : $0 }
      let pending = l.error ?? (l.pendingActions.isEmpty ? "-" : ReportText.actions(
        ListenerOutcome(
          listenerId: l.listenerId, loadBalancerId: l.loadBalancerId, deployment: nil, outcome: .planned,
          actions: l.pendingActions)))
      return [
        l.listenerId, l.loadBalancerId ?? "-",
        l.listenerProtocol.map { "\($0):\(l.port.map(String.init) ?? "?")" } ?? "-", l.state.rawValue,
        serving.isEmpty ? "(nothing)" : serving.joined(separator: ", "), pending,
      ]
    }
    var widths = header.map(\.count)
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      let padded = cells.enumerated().map { i, cell in i == cells.count - 1 ? cell : ReportText.pad(cell, widths[i]) }
      return ("  " + padded.joined(separator: "  ")).trimmingTrailingSpaces()
    }
    var out = line(header) + "\n"
    for (row, l) in zip(rows, listeners) { out += paint(line(row), l.state, style) + "\n" }
    return out
  }

  private static func paint(_ text: String, _ state: DeploymentStatus.State, _ style: TerminalStyle) -> String {
    switch state {
    case .failing: return style.paint(text, .red)
    case .pending: return style.paint(text, .yellow)
    case .converged: return style.paint(text, .green)
    }
  }
}
