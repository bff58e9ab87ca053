import AlibabaCloud
import Foundation

extension GAListenerDriver {
  /// `DescribeAccelerator` `DnsName`: the name clients reach the accelerator's listeners by.
  public func dnsName(loadBalancerKey: String) async throws -> String {
    let id = ListenerProduct.unqualified(loadBalancerKey)
    let accelerator = try await ga.describeAccelerator(acceleratorId: id)
    guard let name = accelerator.dnsName, !name.isEmpty else {
      throw ProbeFailure("accelerator \(id) has no DnsName in DescribeAccelerator")
    }
    return name
  }
}
