import Foundation

/// What `certhook prune` needs to prune CLB server certificates: the CLB driver of the region (its SLB client) and
/// the CLB load balancers whose listeners say which server certificates are in use.
///
/// Rule it keeps: a server certificate is deleted only when certhook created it (`certhook-` name) and no listener
/// of these load balancers uses it; the API's own refusal (`CertificateAndPrivateKeyIsRefered`) keeps one that a
/// load balancer outside the scope still uses.
public struct CLBPruneScope: Sendable {
  /// The CLB driver (SLB client of the region, CAS client).
  public var driver: CLBListenerDriver
  /// CLB load balancer keys (`clb:lb-…`, or bare `lb-…`) whose listeners are read for usage.
  public var loadBalancerKeys: [String]

  /// Creates a scope.
  public init(driver: CLBListenerDriver, loadBalancerKeys: [String]) {
    self.driver = driver
    self.loadBalancerKeys = loadBalancerKeys
  }
}
