import CertificateKit
import CloudEmulator
import Foundation

/// The coverage promise read back from the emulator's event log, for any product (a GA or CLB binding serves its
/// one domain, an ALB/NLB certificate its names).
public enum CoverageReplay {
  /// Replays the event log: a certificate serves its names from `certificate-associated` until
  /// `certificate-dissociating` (a GA or CLB binding, whose `detail` starts `domain X`, serves X only), the default
  /// certificate from `default-certificate-replaced` on. Every domain, once covered, must stay covered at every
  /// event; returns the moments it was not, and the domains that were covered at some point.
  public static func gaps(_ events: [EmulatorEvent], listener: String, domains: [String]) -> (
    gaps: [String], covered: Set<String>
  ) {
    var serving: [String: [String]] = [:]
    var defaultNames: [String] = []
    var covered: Set<String> = []
    var gaps: [String] = []
    for e in events.sorted(by: { $0.seq < $1.seq }) where e.listenerId == listener {
      // `domain X` (GA) or `domain X extension de-…` (CLB): the binding serves X only.
      let bound = e.detail.flatMap {
        $0.hasPrefix("domain ") ? $0.dropFirst("domain ".count).split(separator: " ").first.map(String.init) : nil
      }
      let key = "\(e.certificateId ?? "")|\(bound ?? "")"
      switch e.kind {
      case .certificateAssociated: serving[key] = bound.map { [$0] } ?? (e.domains ?? [])
      case .certificateDissociating: serving[key] = nil
      case .defaultCertificateReplaced: defaultNames = e.domains ?? []
      default: continue
      }
      let names = serving.values.flatMap { $0 } + defaultNames
      for domain in domains {
        if names.contains(where: { HostnameMatcher.matches(pattern: $0, hostname: domain) }) {
          covered.insert(domain)
        } else if covered.contains(domain) {
          gaps.append("\(domain) uncovered after event \(e.seq) (\(e.kind.rawValue) \(e.certificateId ?? ""))")
        }
      }
    }
    return (gaps, covered)
  }
}
