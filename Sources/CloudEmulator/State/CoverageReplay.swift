import CertificateKit
import Foundation

/// The coverage promise read back from an event log: once a domain is covered on a listener, a valid certificate
/// covers it at every later event.
///
/// Rules it keeps: a certificate serves from `certificate-associated` until `certificate-dissociating`; a binding
/// whose `detail` starts `domain X` (GA, or CLB's `domain X extension de-…`) serves X only (when the certificate
/// covers X), the others every name of the certificate; the default certificate serves from `default-certificate-replaced`; a certificate counts
/// only within its validity at the event's time.
public enum CoverageReplay {
  private struct Serving {
    var names: [String]
    var notBefore: Date?
    var notAfter: Date?

    func covers(_ domain: String, at time: Date) -> Bool {
      (notBefore ?? .distantPast) <= time && time <= (notAfter ?? .distantFuture)
        && names.contains { HostnameMatcher.matches(pattern: $0, hostname: domain) }
    }
  }

  /// The moments a domain of `domains` was uncovered on `listener` (the emulator's listener ID), and the domains
  /// covered at some point.
  public static func gaps(_ events: [EmulatorEvent], listener: String, domains: [String]) -> (
    gaps: [String], covered: Set<String>
  ) {
    var serving: [String: Serving] = [:]
    var defaultCertificate: Serving?
    var covered: Set<String> = []
    var gaps: [String] = []
    for e in events.sorted(by: { $0.seq < $1.seq }) where e.listenerId == listener {
      let bound = e.detail.flatMap {
        $0.hasPrefix("domain ") ? $0.dropFirst("domain ".count).split(separator: " ").first.map(String.init) : nil
      }
      let key = "\(e.certificateId ?? "")|\(bound ?? "")"
      // A binding serves its domain only when the certificate covers it (its names, when the event carries them).
      let names = bound.map { d in
        (e.domains.map { HostnameMatcher.isCovered(d, by: $0) } ?? true) ? [d] : []
      } ?? (e.domains ?? [])
      let entry = Serving(names: names, notBefore: e.notBefore, notAfter: e.notAfter)
      switch e.kind {
      case .certificateAssociated: serving[key] = entry
      case .certificateDissociating: serving[key] = nil
      case .defaultCertificateReplaced: defaultCertificate = entry
      default: continue
      }
      let all = Array(serving.values) + (defaultCertificate.map { [$0] } ?? [])
      for domain in domains {
        if all.contains(where: { $0.covers(domain, at: e.time) }) {
          covered.insert(domain)
        } else if covered.contains(domain) {
          gaps.append(
            "\(listener): \(domain) uncovered after event \(e.seq) (\(e.kind.rawValue) \(e.certificateId ?? ""))")
        }
      }
    }
    return (gaps, covered)
  }
}
