import Foundation

/// One authenticated call to an operation.
struct ApiCall: Sendable {
  static let albActions: Set<String> = [
    "ListListeners", "GetListenerAttribute", "ListListenerCertificates",
    "AssociateAdditionalCertificatesWithListener", "DissociateAdditionalCertificatesFromListener",
    "UpdateListenerAttribute", "ListAsynJobs", "GetLoadBalancerAttribute",
  ]
  static let casActions: Set<String> = [
    "UploadUserCertificate", "ListUserCertificateOrder", "GetUserCertificateDetail", "DeleteUserCertificate",
  ]

  var action: String
  var params: Parameters
  var caller: VerifiedCaller
  var now: Date
}
