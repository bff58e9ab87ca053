import Foundation

extension ALBClient {
  /// `GetLoadBalancerAttribute`: the instance's DNS name (`<id>.<region>.alb.aliyuncs.com`) and status.
  public func getLoadBalancerAttribute(loadBalancerId: String) async throws -> LoadBalancerAttribute {
    let json = try await rpc.call("GetLoadBalancerAttribute", parameters: [("LoadBalancerId", loadBalancerId)])
    return LoadBalancerAttribute(json: json, loadBalancerId: loadBalancerId)
  }
}

/// `GetLoadBalancerAttribute`: what a TLS probe needs from an ALB or NLB instance (both APIs name the fields alike:
/// `LoadBalancerId`, `DNSName`, `LoadBalancerStatus`).
public struct LoadBalancerAttribute: Sendable, Equatable, Codable {
  /// The instance ID.
  public var id: String
  /// The public DNS name clients resolve (empty when the API gave none).
  public var dnsName: String
  /// `Active`, `Provisioning`, ...
  public var status: String

  /// Creates a value.
  public init(id: String, dnsName: String, status: String) {
    self.id = id
    self.dnsName = dnsName
    self.status = status
  }

  init(json: JSONValue, loadBalancerId: String) {
    self.init(
      id: json["LoadBalancerId"]?.string ?? loadBalancerId, dnsName: json["DNSName"]?.string ?? "",
      status: json["LoadBalancerStatus"]?.string ?? "")
  }
}
