import CertificateKit
import Foundation

/// Picks the certificate a listener presents for one handshake.
///
/// Rule (docs/emulator.md, "TLS serving"): among the `Associated` additional certificates, those
/// whose SANs cover the SNI name; an exact DNS SAN beats a wildcard; then the later `notAfter`; then
/// the earlier association. No additional certificate covers the name, or no SNI: the default.
/// GA and CLB (domain bindings, assumed): a binding whose domain is the SNI name, then one whose `*.` domain covers
/// it, before any of the above.
enum ServingRule {
  /// The certificate to present for `serverName` (nil: no SNI), or nil when the listener holds none.
  static func select(_ set: ListenerServingSet, serverName: String?) -> ServingCandidate? {
    guard let name = serverName.map(normalize), !name.isEmpty else { return set.defaultCertificate }
    if let exact = set.bound.first(where: { normalize($0.domain) == name }) { return exact.candidate }
    if let wild = set.bound.first(where: { HostnameMatcher.isCovered(name, by: [$0.domain]) }) { return wild.candidate }
    var best: (candidate: ServingCandidate, exact: Bool)? = nil
    for candidate in set.additional {
      let exact = candidate.sans.contains { normalize($0) == name }
      guard exact || HostnameMatcher.isCovered(name, by: candidate.sans) else { continue }
      if let current = best {
        if current.exact && !exact { continue }
        if current.exact == exact && candidate.notAfter <= current.candidate.notAfter { continue }
      }
      best = (candidate, exact)
    }
    return best?.candidate ?? set.defaultCertificate
  }

  private static func normalize(_ name: String) -> String {
    var text = name.lowercased()
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
