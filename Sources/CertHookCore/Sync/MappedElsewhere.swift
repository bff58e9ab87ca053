/// Certificates another runner of this run mapped in the same account and CAS site, by SHA-256. Rule: only what
/// that runner really found or uploaded counts (never a dry run's pending upload), and it counts as found here,
/// not as uploaded here.
struct MappedElsewhere: Sendable {
  private let bySHA256: [String: MappedCertificate]

  init(_ certificates: [MappedCertificate]) {
    var bySHA256: [String: MappedCertificate] = [:]
    for var certificate in certificates where !certificate.pendingUpload && certificate.certId != nil {
      guard let sha = certificate.sha256?.uppercased(), !sha.isEmpty else { continue }
      certificate.wasUploaded = false
      bySHA256[sha] = certificate
    }
    self.bySHA256 = bySHA256
  }

  /// The certificate with this uppercase SHA-256, when another runner mapped it.
  subscript(sha256: String) -> MappedCertificate? { bySHA256[sha256] }
}
