import Foundation

/// One asynchronous job of ALB, NLB (`GetJobStatus`) or GA (internal: GA answers no JobId).
struct StoredJob: Codable, Sendable {
  enum Change: Codable, Sendable {
    case associate([String])
    case dissociate([String])
    case update(defaultCertificateId: String?, description: String?)
    /// GA: certificates bound to domains (`domain` -> certificate ID).
    case bindDomains([String])
    /// GA: domains whose certificates go.
    case unbindDomains([String])
    /// GA: one domain's certificate replaced in place.
    case swapDomain(String)
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
  var product: EmulatorSeed.Product? = nil

  var kind: EmulatorSeed.Product { product ?? .alb }

  var operateType: String {
    switch change {
    case .associate, .bindDomains: return "Create"
    case .dissociate, .unbindDomains: return "Delete"
    case .update, .swapDomain: return "Update"
    }
  }
}
