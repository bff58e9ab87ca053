import Foundation

/// One asynchronous ALB job.
struct StoredJob: Codable, Sendable {
  enum Change: Codable, Sendable {
    case associate([String])
    case dissociate([String])
    case update(defaultCertificateId: String?, description: String?)
  }

  var id: String
  var apiName: String
  var listenerId: String
  var change: Change
  var status: String
  var createTime: Date
  var modifyTime: Date
  var completeAt: Date
  var errorCode: String?
  var errorMessage: String?

  var operateType: String {
    switch change {
    case .associate: return "Create"
    case .dissociate: return "Delete"
    case .update: return "Update"
    }
  }
}
