import Foundation

/// One authenticated call to an operation.
struct ApiCall: Sendable {
  static let albActions: Set<String> = [
    "ListListeners", "GetListenerAttribute", "ListListenerCertificates",
    "AssociateAdditionalCertificatesWithListener", "DissociateAdditionalCertificatesFromListener",
    "UpdateListenerAttribute", "ListAsynJobs",
  ]
  static let casActions: Set<String> = [
    "UploadUserCertificate", "ListUserCertificateOrder", "GetUserCertificateDetail", "DeleteUserCertificate",
  ]
  static let stsActions: Set<String> = ["GetCallerIdentity"]

  var action: String
  var params: Parameters
  var caller: VerifiedCaller
  var now: Date
}
