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

  /// The scope of a run: the backend's CLB driver and the CLB load balancers of `selected` (engine keys) and of the
  /// configuration's targets; nil when the backend has no CLB driver or no CLB is named anywhere.
  public static func of(
    _ backend: any CloudBackend, configuration: CertHookConfiguration?, selected: [String]
  ) -> CLBPruneScope? {
    guard let backend = backend as? AlibabaCloudBackend,
      let driver = try? backend.drivers.driver(.clb) as? CLBListenerDriver
    else { return nil }
    var keys: [String] = []
    let targets = configuration?.deployments.flatMap(\.targets) ?? []
    for key in selected + targets.map(\.loadBalancerKey) where ListenerProduct(key: key) == .clb {
      if !keys.contains(key) { keys.append(key) }
    }
    return keys.isEmpty ? nil : CLBPruneScope(driver: driver, loadBalancerKeys: keys)
  }
}
