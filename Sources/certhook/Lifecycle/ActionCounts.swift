import CertHookCore

/// Counts per action of a plan or of what a run did, as Terraform sums up a plan: uploads, listeners that get an
/// associate, a dissociate or a new default certificate, and listeners left unchanged, skipped or failed.
struct ActionCounts: Encodable, Equatable, Sendable {
  /// Certificates uploaded to CAS (dry run: that would be uploaded).
  var upload = 0
  /// Listeners that get (or got) an associate.
  var associate = 0
  /// Listeners that get (or got) a dissociate.
  var dissociate = 0
  /// Listeners whose default certificate is (or was) replaced.
  var replaceDefault = 0
  /// Listeners already right.
  var unchanged = 0
  /// Listeners not attempted.
  var skipped = 0
  /// Listeners that failed (dry run: whose plan or API precheck failed).
  var failed = 0

  /// The counts of a report: planned actions in a dry run, actions done otherwise.
  init(_ report: DeploymentReport) {
    var uploads: Set<String> = []
    for c in report.certificates where report.dryRun ? c.pendingUpload : c.wasUploaded {
      uploads.insert(c.sha256 ?? c.name)
    }
    upload = uploads.count
    for l in report.listeners {
      switch l.outcome {
      case .unchanged: unchanged += 1
      case .skipped: skipped += 1
      case .failed: failed += 1
      case .planned, .updated:
        let kinds = Set(l.actions.map(\.kind))
        if kinds.contains(.associate) { associate += 1 }
        if kinds.contains(.dissociate) { dissociate += 1 }
        if kinds.contains(.replaceDefault) { replaceDefault += 1 }
      }
    }
  }

  /// True when a dry run found something to change: an upload or a listener to change.
  var pending: Bool { upload + associate + dissociate + replaceDefault > 0 }

  /// `Plan: 1 upload, 200 associate, 200 dissociate, 0 unchanged` (dry run) or `Applied: ...`; replace-default,
  /// skipped and failed are added when not zero.
  func line(dryRun: Bool) -> String {
    var parts = ["\(upload) upload", "\(associate) associate", "\(dissociate) dissociate"]
    if replaceDefault > 0 { parts.append("\(replaceDefault) replace-default") }
    parts.append("\(unchanged) unchanged")
    if skipped > 0 { parts.append("\(skipped) skipped") }
    if failed > 0 { parts.append("\(failed) failed") }
    return (dryRun ? "Plan: " : "Applied: ") + parts.joined(separator: ", ")
  }
}
