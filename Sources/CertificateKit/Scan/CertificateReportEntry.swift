import Foundation

/// One certificate in a report: where it was found, its fields and its expiry status at the report's time.
///
/// `source` is a file path for `scan`; other reports (audit) use a label such as a listener ID.
public struct CertificateReportEntry: Sendable, Hashable {
  /// The file path or label the certificate came from.
  public let source: String
  /// Position of the certificate in its file or chain, from 0.
  public let index: Int
  /// The certificate's fields.
  public let certificate: CertificateSummary
  /// Expiry status at the report's `now` under its policy.
  public let status: ExpiryStatus
  /// Whole days left at the report's `now` (negative once expired).
  public let daysRemaining: Int
  /// What the certificate carries that is wrong although it loads: malformed extensions, DNS names that are
  /// not host names (``NameChecks``); empty for a well-formed certificate.
  public let findings: [Finding]

  /// An entry from its parts.
  public init(
    source: String, index: Int, certificate: CertificateSummary, status: ExpiryStatus, daysRemaining: Int,
    findings: [Finding] = []
  ) {
    self.source = source
    self.index = index
    self.certificate = certificate
    self.status = status
    self.daysRemaining = daysRemaining
    self.findings = findings
  }

  /// The entry for a parsed certificate at `now` under `policy`, with its ``NameChecks`` findings.
  public init(source: String, index: Int, certificate: Certificate, now: Date, policy: CheckPolicy) {
    self.init(
      source: source, index: index, certificate: CertificateSummary(certificate),
      status: ExpiryStatus.of(certificate, now: now, policy: policy),
      daysRemaining: certificate.daysRemaining(now: now),
      findings: NameChecks.findings(certificate, index: index))
  }
}
