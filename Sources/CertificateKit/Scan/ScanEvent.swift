/// What a streaming scan delivers, in walk order: a file's certificates or a failure.
public enum ScanEvent: Sendable {
  /// The certificates of one file (after certbot lineage dedupe), in file order.
  case certificates([CertificateReportEntry])
  /// A path that could not be walked, read or parsed.
  case failure(ScanFailure)
}
