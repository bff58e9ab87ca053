import CertHookCore
import Foundation

/// Pieces of the human text of plans and reports: the certificate line, listener lines and their actions.
enum ReportText {
  /// The certificate line: identifier, names, expiry and whether it was (or would be) uploaded.
  static func certificate(_ c: MappedCertificate) -> String {
    var parts = c.pendingUpload ? ["certificate \(c.name) (not in CAS yet)"] : ["certificate \(c.identifier)"]
    if !c.name.isEmpty, !c.pendingUpload { parts.append("(\(c.name))") }
    if !c.dnsNames.isEmpty { parts.append("for " + c.dnsNames.joined(separator: ", ")) }
    if let end = c.notAfter { parts.append("expires " + RFC3339.format(end)) }
    if c.wasUploaded { parts.append("[uploaded now]") }
    if c.pendingUpload { parts.append("[would be uploaded]") }
    return parts.joined(separator: " ")
  }

  /// One aligned line per listener (listener, load balancer, outcome, actions), then its notes and error.
  static func listenerLines(_ listeners: [ListenerOutcome], dryRun: Bool) -> String {
    let idWidth = max(8, listeners.map(\.listenerId.count).max() ?? 0)
    let lbWidth = max(13, listeners.map { ($0.loadBalancerId ?? "-").count }.max() ?? 0)
    var out = ""
    for l in listeners {
      var line = pad(l.listenerId, idWidth) + "  " + pad(l.loadBalancerId ?? "-", lbWidth) + "  " + pad(l.outcome.rawValue, 9)
      line += "  " + actions(l)
      if let deployment = l.deployment { line += "  [\(deployment)]" }
      out += line.trimmingTrailingSpaces() + "\n"
      for note in l.notes { out += "    note: \(note)\n" }
      if dryRun, l.outcome == .planned, !l.notes.contains(where: { $0.contains("precheck skipped") }) {
        out += "    precheck passed\n"
      }
      if let error = l.error { out += "    error: \(error)\n" }
    }
    return out
  }

  /// The actions of a listener as `associate A; dissociate B`, or `nothing to do`.
  static func actions(_ l: ListenerOutcome) -> String {
    guard !l.actions.isEmpty else {
      return l.outcome == .unchanged ? "nothing to do" : "-"
    }
    return l.actions.map { "\($0.kind.rawValue) \($0.certificateIds.joined(separator: ","))" }.joined(separator: "; ")
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}
