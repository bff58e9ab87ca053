import Foundation

/// Additional-certificate usage of a load balancer (summed over its listeners).
public struct LoadBalancerUsage: Codable, Sendable, Equatable {
  /// Load balancer ID.
  public var loadBalancerId: String
  /// Additional certificates over all its HTTPS/QUIC listeners.
  public var additionalCertificates: Int
  /// The configured quota, when known.
  public var quota: Int?

  /// Creates a usage value.
  public init(loadBalancerId: String, additionalCertificates: Int, quota: Int?) {
    self.loadBalancerId = loadBalancerId
    self.additionalCertificates = additionalCertificates
    self.quota = quota
  }
}
