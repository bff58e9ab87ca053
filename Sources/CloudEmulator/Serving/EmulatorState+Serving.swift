import Foundation

extension EmulatorState {
  /// The snapshot with every load balancer's DNS name (a CLB's public address) and, when TLS is served, the DNS
  /// map and each listener's `tlsEndpoint`.
  func withServing(_ layout: ServingLayout?, region: String) -> EmulatorState {
    var copy = self
    for i in copy.loadBalancers.indices {
      let product = copy.loadBalancers[i].product.flatMap(EmulatorSeed.Product.init(rawValue:)) ?? .alb
      copy.loadBalancers[i].dnsName = ServingLayout.host(
        index: i, loadBalancerId: copy.loadBalancers[i].id, product: product, region: region)
      guard let layout else { continue }
      for j in copy.loadBalancers[i].listeners.indices {
        copy.loadBalancers[i].listeners[j].tlsEndpoint = layout.endpoint(
          listenerId: copy.loadBalancers[i].listeners[j].id)
      }
    }
    if let layout {
      copy.dns = Dictionary(layout.addresses.map { ($0.dnsName, $0.address) }, uniquingKeysWith: { first, _ in first })
    }
    return copy
  }
}
