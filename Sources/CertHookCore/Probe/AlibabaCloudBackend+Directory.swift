import AlibabaCloud
import Foundation

extension AlibabaCloudBackend: LoadBalancerDirectory {
  /// The DNS name of a load balancer of any product, through its product's driver.
  public func dnsName(loadBalancerId: String) async throws -> String {
    try await mapped {
      try await drivers.driver(ListenerProduct(key: loadBalancerId)).dnsName(loadBalancerKey: loadBalancerId)
    }
  }
}
