import Foundation

/// One CLB (SLB) server certificate: a copy of a CAS certificate (`aliCloudCertificateId`) or of an uploaded PEM
/// pair, with the facts SLB shows. `record` holds what CertificateKit read at upload (and the PEM, never served).
struct StoredServerCertificate: Codable, Sendable {
  var id: String
  var name: String
  var regionId: String
  var aliCloudCertificateId: Int?
  var aliCloudCertificateName: String?
  var createTime: Date
  var record: StoredCertificate

  /// SLB's form of the SHA-1 fingerprint: lowercase hex pairs joined by colons (CAS shows uppercase, no colons).
  var fingerprint: String {
    let hex = Array(record.fingerprint.lowercased().filter { $0 != ":" })
    return stride(from: 0, to: hex.count, by: 2).map { String(hex[$0..<min($0 + 2, hex.count)]) }.joined(separator: ":")
  }
}
