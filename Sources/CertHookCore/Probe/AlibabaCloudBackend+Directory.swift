import AlibabaCloud
import Foundation

extension AlibabaCloudBackend: LoadBalancerDirectory {
  /// `GetLoadBalancerAttribute` `DNSName` through the backend's ALB client.
  public func dnsName(loadBalancerId: String) async throws -> String {
    try await ALBLoadBalancerDirectory(client: alb).dnsName(loadBalancerId: loadBalancerId)
  }
}
