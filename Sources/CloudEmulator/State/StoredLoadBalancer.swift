import Foundation

/// One load balancer instance: an ALB, an NLB, a GA accelerator or a CLB (`product`, nil for ALB).
struct StoredLoadBalancer: Codable, Sendable {
  var id: String
  var edition: String
  /// ALB and NLB: additional certificates per instance; GA: per listener; CLB: domain extensions per listener.
  var certificateQuota: Int
  var product: EmulatorSeed.Product? = nil

  var kind: EmulatorSeed.Product { product ?? .alb }
}
