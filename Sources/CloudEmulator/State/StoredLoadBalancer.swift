import Foundation

/// One ALB instance.
struct StoredLoadBalancer: Codable, Sendable {
  var id: String
  var edition: String
  var certificateQuota: Int
}
