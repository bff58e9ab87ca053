import Foundation

/// One additional certificate on a listener: ALB/NLB by certificate; GA by `domain` (one certificate per domain);
/// CLB a domain extension (`extensionId`, `domain`, a server certificate ID as `certificateId`).
struct StoredAssociation: Codable, Sendable {
  var certificateId: String
  var status: String
  var domain: String? = nil
  var extensionId: String? = nil
  /// GA: the certificate an in-place update (`UpdateAdditionalCertificateWithListener`) swaps in when its job ends.
  var pendingCertificateId: String? = nil
}
