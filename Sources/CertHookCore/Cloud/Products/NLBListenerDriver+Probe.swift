import AlibabaCloud
import Foundation

extension NLBListenerDriver {
  /// `GetLoadBalancerAttribute` `DNSName`: the name clients reach the NLB instance's listeners by.
  public func dnsName(loadBalancerKey: String) async throws -> String {
    let id = ListenerProduct.unqualified(loadBalancerKey)
    let attribute = try await nlb.getLoadBalancerAttribute(loadBalancerId: id)
    guard !attribute.dnsName.isEmpty else {
      throw ProbeFailure("NLB load balancer \(id) has no DNSName in GetLoadBalancerAttribute")
    }
    return attribute.dnsName
  }
}
