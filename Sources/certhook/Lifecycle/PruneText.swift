import CertHookCore
import Foundation

/// Text for `certhook prune`: listener dissociations, then CAS deletions, then a summary line.
enum PruneText {
  /// The whole report.
  static func render(_ report: PruneReport) -> String {
    var out = report.dryRun ? "dry run: nothing was changed\n" : ""
    let changed = report.dissociations.listeners.filter { !$0.actions.isEmpty || $0.error != nil || !$0.notes.isEmpty }
    out += "listeners: \(report.dissociations.summaryLine)\n"
    out += ReportText.listenerLines(changed, dryRun: report.dryRun)
    let verb = report.dryRun ? "would delete" : "deleted"
    for d in report.deletions {
      let end = d.notAfter.map { " (expired " + RFC3339.format($0) + ")" } ?? ""
      switch d.outcome {
      case .deleted, .planned: out += "\(verb) CAS certificate \(d.certId) \(d.name)\(end)\n"
      case .failed: out += "failed to delete CAS certificate \(d.certId) \(d.name): \(d.error ?? "unknown error")\n"
      }
    }
    for c in report.serverCertificates {
      let subject = "SLB server certificate \(c.id) \(c.name) in \(c.region)"
      switch c.outcome {
      case .deleted, .planned: out += "\(verb) \(subject)\n"
      case .inUse: out += "kept \(subject): in use (\(c.error ?? "the API says so"))\n"
      case .failed: out += "failed to delete \(subject): \(c.error ?? "unknown error")\n"
      }
    }
    let retired = report.dissociations.listeners.reduce(0) { sum, l in
      sum + l.actions.filter { $0.kind == .dissociate }.reduce(0) { $0 + $1.certificateIds.count }
    }
    let deleted = report.deletions.filter { $0.outcome != .failed }.count
    out += "summary: \(retired) certificate(s) \(report.dryRun ? "to dissociate" : "dissociated"), "
      + "\(deleted) CAS upload(s) \(report.dryRun ? "to delete" : "deleted")"
    let copies = report.serverCertificates.filter { $0.outcome == .deleted || $0.outcome == .planned }.count
    if !report.serverCertificates.isEmpty {
      out += ", \(copies) SLB server certificate(s) \(report.dryRun ? "to delete" : "deleted")"
    }
    out += report.errors.isEmpty ? "\n" : "; \(report.errors.count) error(s)\n"
    return out
  }
}
