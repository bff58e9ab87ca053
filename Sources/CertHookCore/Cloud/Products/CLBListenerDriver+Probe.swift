import AlibabaCloud
import Foundation

extension CLBListenerDriver {
  /// `DescribeLoadBalancerAttribute` `Address`: a CLB has no DNS name, clients connect to its IP address (the probe
  /// still sends each domain as SNI, and `--resolve ADDRESS:OTHER` redirects it like a name).
  public func dnsName(loadBalancerKey: String) async throws -> String {
    let id = ListenerProduct.unqualified(loadBalancerKey)
    let lb = try await slb.describeLoadBalancer(loadBalancerId: id)
    guard let address = lb.address else {
      throw ProbeFailure("CLB load balancer \(id) has no Address in DescribeLoadBalancerAttribute")
    }
    return address
  }
}
