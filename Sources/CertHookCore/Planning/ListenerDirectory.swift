import Foundation

/// Which listeners each load balancer has, remembered for one run: the quota planner counts every HTTPS/QUIC
/// listener of a load balancer, and a run of many deployments on the same load balancers must not list them
/// again for each deployment.
///
/// Rule: it answers only with *membership* (listener ID, load balancer, protocol, port), which a certificate run
/// never changes; status and certificates are always read by the planner (from the listener's certificate list)
/// and the executor, never taken from here.
public actor ListenerDirectory {
  private var byLoadBalancer: [String: [CloudListener]] = [:]
  private var byId: [String: CloudListener] = [:]
  private var wholeAccount = false

  /// An empty directory.
  public init() {}

  /// Remembers a listing of `loadBalancerIds` (empty: every listener of the account).
  public func record(_ listeners: [CloudListener], loadBalancerIds: [String]) {
    for id in loadBalancerIds where byLoadBalancer[id] == nil { byLoadBalancer[id] = [] }
    var grouped: [String: [CloudListener]] = [:]
    for l in listeners {
      grouped[l.loadBalancerId, default: []].append(l)
      byId[l.id] = l
    }
    for (id, members) in grouped { byLoadBalancer[id] = members }
    if loadBalancerIds.isEmpty { wholeAccount = true }
  }

  /// The listener `id` when a listing this run showed it.
  public func listener(_ id: String) -> CloudListener? { byId[id] }

  /// The listeners of `loadBalancerIds` when every one of them is known, else nil.
  public func listeners(of loadBalancerIds: [String]) -> [CloudListener]? {
    var result: [CloudListener] = []
    for id in loadBalancerIds {
      if let members = byLoadBalancer[id] {
        result += members
      } else if wholeAccount {
        continue  // listed with the whole account and has no listener
      } else {
        return nil
      }
    }
    return result
  }
}
