import Foundation

/// Checks a leaf, its chain and its key for fitness as a TLS server certificate.
public enum CertificateChecker {
  /// All findings for `chain` (leaf first), `key` (optional) and the requested `domains` at `now`.
  ///
  /// Expiry, validity and weak-key checks apply to every certificate; usage, CA, SAN, key and domain
  /// checks to the leaf; order and signatures to each adjacent pair.
  public static func check(
    chain: [Certificate], key: PrivateKey?, domains: [String], now: Date, policy: CheckPolicy = .init()
  ) -> [Finding] {
    guard let leaf = chain.first else { return [] }
    var findings: [Finding] = []
    for (index, certificate) in chain.enumerated() {
      findings += ValidityChecks.findings(certificate, index: index, now: now, policy: policy)
      if let weak = UsageChecks.weakKey(certificate, index: index) { findings.append(weak) }
    }
    findings += UsageChecks.leafFindings(leaf)
    if let key, !key.matches(leaf) {
      findings.append(
        Finding(
          code: .keyMismatch, severity: .critical,
          message: "the private key (\(key.publicKey)) does not belong to the certificate "
            + "\(leaf.subject.rfc4514) (\(leaf.publicKey))", certificateIndex: 0))
    }
    for domain in domains where !leaf.covers(hostname: domain) {
      let names = (leaf.dnsNames + leaf.ipAddresses)
      findings.append(
        Finding(
          code: .domainNotCovered, severity: .critical,
          message: "\(domain) is not covered by the certificate's names "
            + (names.isEmpty ? "(none)" : names.joined(separator: ", ")), certificateIndex: 0))
    }
    if let order = chainFinding(chain) { findings.append(order) }
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
