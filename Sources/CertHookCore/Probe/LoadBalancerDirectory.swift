import AlibabaCloud
import Foundation

/// Finds the DNS name clients use for a load balancer (`GetLoadBalancerAttribute` `DNSName`).
public protocol LoadBalancerDirectory: Sendable {
  /// The DNS name of the load balancer.
  func dnsName(loadBalancerId: String) async throws -> String
}

/// The `LoadBalancerDirectory` of the real ALB API.
public struct ALBLoadBalancerDirectory: LoadBalancerDirectory {
  private let client: ALBClient

  /// Uses `client`.
  public init(client: ALBClient) {
    self.client = client
  }

  /// `GetLoadBalancerAttribute` `DNSName`; throws when the API gives none.
  public func dnsName(loadBalancerId: String) async throws -> String {
    let attribute = try await client.getLoadBalancerAttribute(loadBalancerId: loadBalancerId)
    guard !attribute.dnsName.isEmpty else {
      throw ProbeFailure("load balancer \(loadBalancerId) has no DNSName in GetLoadBalancerAttribute")
    }
    return attribute.dnsName
  }
}
