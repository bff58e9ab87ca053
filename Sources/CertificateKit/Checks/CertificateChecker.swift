import Foundation

/// Checks a leaf, its chain and its key for fitness as a TLS server certificate.
public enum CertificateChecker {
  /// All findings for `chain` (leaf first), `key` (optional) and the requested `domains` at `now`.
  ///
  /// Expiry, validity, weak-key, extension and DNS-name checks apply to every certificate; usage, CA, SAN,
  /// wildcard, key and domain checks to the leaf; order and signatures to each adjacent pair. Domains may be
  /// Unicode (`bücher.example`): they are matched as A-labels. Wildcards are judged with `publicSuffixes`.
  public static func check(
    chain: [Certificate], key: PrivateKey?, domains: [String], now: Date, policy: CheckPolicy = .init(),
    publicSuffixes: PublicSuffixList = .system
  ) -> [Finding] {
    guard let leaf = chain.first else { return [] }
    var findings: [Finding] = []
    for (index, certificate) in chain.enumerated() {
      findings += ValidityChecks.findings(certificate, index: index, now: now, policy: policy)
      if let weak = UsageChecks.weakKey(certificate, index: index) { findings.append(weak) }
      findings += NameChecks.findings(certificate, index: index)
    }
    findings += UsageChecks.leafFindings(leaf)
    findings += wildcardFindings(leaf, publicSuffixes: publicSuffixes)
    if let key, !key.matches(leaf) {
      findings.append(
        Finding(
          code: .keyMismatch, severity: .critical,
          message: "the private key (\(key.publicKey)) does not belong to the certificate "
            + "\(leaf.subject.rfc4514) (\(leaf.publicKey))", certificateIndex: 0))
    }
    for domain in domains where !leaf.covers(hostname: domain, publicSuffixes: publicSuffixes) {
      let names = (leaf.dnsNames + leaf.ipAddresses)
      let aLabel = (try? IDNA.toASCII(domain)) ?? domain
      let shown = aLabel == domain.lowercased() ? domain : "\(domain) (\(aLabel))"
      findings.append(
        Finding(
          code: .domainNotCovered, severity: .critical,
          message: "\(shown) is not covered by the certificate's names "
            + (names.isEmpty ? "(none)" : names.joined(separator: ", ")), certificateIndex: 0))
    }
    if let order = chainFinding(chain) { findings.append(order) }
    return findings
  }

  /// Wildcard SANs of the leaf that stand for a public suffix, and a note when the list is unavailable.
  static func wildcardFindings(_ leaf: Certificate, publicSuffixes: PublicSuffixList) -> [Finding] {
    let wildcards = leaf.dnsNames.filter { $0.hasPrefix("*.") }
    guard !wildcards.isEmpty else { return [] }
    var findings: [Finding] = []
    if let reason = publicSuffixes.unavailableReason {
      findings.append(
        Finding(code: .publicSuffixListUnavailable, severity: .info, message: reason, certificateIndex: nil))
    }
    for name in wildcards where publicSuffixes.isPublicSuffix(String(name.dropFirst(2))) {
      findings.append(
        Finding(
          code: .wildcardOnPublicSuffix, severity: .warning,
          message: "\(ValidityChecks.label(leaf, index: 0)) has the wildcard '\(name)' on the public suffix "
            + "'\(name.dropFirst(2))' (\(publicSuffixes.source)): it covers no host name", certificateIndex: 0))
    }
    return findings
  }

  /// True when no finding blocks a deployment.
  public static func isDeployable(_ findings: [Finding]) -> Bool {
    !findings.contains { $0.blocksDeployment }
  }

  /// The first order or signature problem in the chain, if any.
  static func chainFinding(_ chain: [Certificate]) -> Finding? {
    guard chain.count > 1 else { return nil }
    let verifier = ChainVerifier(chain)
    for index in 0..<(chain.count - 1) where !verifier.isIssued(index, by: index + 1) {
      let subject = chain[index].subject.rfc4514
      let next = chain[index + 1].subject.rfc4514
      if let issuer = chain.indices.first(where: { $0 != index && $0 != index + 1 && verifier.isIssued(index, by: $0) })
      {
        return Finding(
          code: .chainOutOfOrder, severity: .critical,
          message: "chain out of order: certificate #\(index + 1) (\(subject)) is issued by certificate #\(issuer + 1) "
            + "(\(chain[issuer].subject.rfc4514)), not by the next one (\(next)); put each issuer right after "
            + "the certificate it signed", certificateIndex: index)
      }
      return Finding(
        code: .chainBroken, severity: .critical,
        message: "chain broken: certificate #\(index + 1) (\(subject), issuer \(chain[index].issuer.rfc4514)) is not "
          + "signed by the next certificate (\(next))", certificateIndex: index)
    }
    return nil
  }
}
