import Foundation

/// One CAS certificate, with what CAS shows about it.
struct StoredCertificate: Codable, Sendable {
  var certId: Int
  var name: String
  var resourceId: String
  var certPEM: String
  var keyPEM: String
  var commonName: String
  var sans: [String]
  var fingerprint: String
  var sha2: String
  var serialNo: String
  var issuer: String
  var algorithm: String
  var notBefore: Date
  var notAfter: Date
  var chain: [ChainEntry]
  var uploadedAt: Date
  var resourceGroupId: String?
  var generated: Bool

  /// One certificate of the uploaded chain, as CertChain shows it.
  struct ChainEntry: Codable, Sendable {
    var commonName: String
    var issuerCommonName: String
    var notBefore: Date
    var notAfter: Date
    var isCA: Bool
  }

  func identifier(region: String) -> String { "\(certId)-\(region)" }

  /// CAS status: ISSUED, WILLEXPIRED (30 days or less left) or EXPIRED.
  func status(now: Date) -> String {
    if notAfter <= now { return "EXPIRED" }
    if notAfter.timeIntervalSince(now) <= 30 * 86_400 { return "WILLEXPIRED" }
    return "ISSUED"
  }

  /// Every domain the certificate names (common name and SANs, deduplicated).
  var domains: [String] {
    var seen = Set<String>()
    return ([commonName] + sans).filter { !$0.isEmpty && seen.insert($0).inserted }
  }
}
