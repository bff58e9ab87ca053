import Foundation

/// One listener.
struct StoredListener: Codable, Sendable {
  var id: String
  var loadBalancerId: String
  var `protocol`: String
  var port: Int
  var description: String
  var status: String
  var defaultCertificateId: String?
  var additional: [StoredAssociation] = []

  var acceptsCertificates: Bool { `protocol` == "HTTPS" || `protocol` == "QUIC" }
}
