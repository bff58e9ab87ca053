import Foundation

/// Where the emulator serves TLS: load balancer number N (1-based, seed order) answers at
/// `127.0.1.N`, each HTTPS or QUIC listener on `port + offset` over TCP.
struct ServingLayout: Sendable, Equatable {
  /// One TLS endpoint.
  struct Endpoint: Sendable, Equatable {
    var listenerId: String
    var loadBalancerId: String
    var address: String
    var port: Int
  }

  /// One load balancer's DNS name (a CLB's public address) and loopback address.
  struct Address: Sendable, Equatable {
    var loadBalancerId: String
    var dnsName: String
    var address: String
  }

  /// Load balancer DNS name (a CLB's public address) -> loopback address, in seed order.
  var addresses: [Address]
  /// One endpoint per served listener, in seed order.
  var endpoints: [Endpoint]

  /// Most load balancers one emulator can serve (the last octet of 127.0.1.N).
  static let maxLoadBalancers = 254

  /// The real ALB DNS name form: `<id>.<region>.alb.aliyuncs.com`.
  static func dnsName(loadBalancerId: String, region: String) -> String {
    "\(loadBalancerId).\(region).alb.aliyuncs.com"
  }

  /// What clients name load balancer number `index + 1` (seed order) of `product` by. ALB: its real DNS name form;
  /// NLB `<id>.<region>.nlb.aliyuncsslb.com` and GA `<id>.aliyunga0019.com` (forms from the docs' examples,
  /// assumed); CLB answers on an IP address (`DescribeLoadBalancerAttribute` `Address`), `192.0.2.N` here, in
  /// TEST-NET-1 (RFC 5737, never routed), so a client that skips `--resolve` fails instead of reaching a real host.
  /// `/_emulator/state` `dns` maps each of them to the loopback address the listeners are served on.
  static func host(index: Int, loadBalancerId: String, product: EmulatorSeed.Product, region: String) -> String {
    switch product {
    case .alb: return dnsName(loadBalancerId: loadBalancerId, region: region)
    case .nlb: return "\(loadBalancerId).\(region).nlb.aliyuncsslb.com"
    case .ga: return "\(loadBalancerId).aliyunga0019.com"
    case .clb:
      // Past the 254 load balancers TLS can be served for, the benchmarking range 198.18.0.0/15 (RFC 2544).
      let n = index + 1
      return n <= maxLoadBalancers ? "192.0.2.\(n)" : "198.18.\(n / 256).\(n % 256)"
    }
  }

  /// `host(index:loadBalancerId:product:region:)` of load balancer `id` of `state`, nil for an unknown one.
  static func host(of id: String, in state: StoredState) -> String? {
    guard let index = state.loadBalancers.firstIndex(where: { $0.id == id }) else { return nil }
    let lb = state.loadBalancers[index]
    return host(index: index, loadBalancerId: lb.id, product: lb.kind, region: state.region)
  }

  /// Lays out `state` with `offset` added to every listener port.
  ///
  /// A QUIC listener whose TCP port an HTTPS listener of the same load balancer already uses is not
  /// served (QUIC is UDP on a real ALB, so the two do not collide there).
  static func make(_ state: StoredState, offset: Int) throws -> ServingLayout {
    guard state.loadBalancers.count <= maxLoadBalancers else {
      throw EmulatorError(
        "--serve-tls serves at most \(maxLoadBalancers) load balancers (127.0.1.1-127.0.1.254); the seed has \(state.loadBalancers.count)"
      )
    }
    var addresses: [Address] = []
    var endpoints: [Endpoint] = []
    for (index, lb) in state.loadBalancers.enumerated() {
      let address = "127.0.1.\(index + 1)"
      addresses.append(
        Address(
          loadBalancerId: lb.id,
          dnsName: host(index: index, loadBalancerId: lb.id, product: lb.kind, region: state.region),
          address: address))
      var used = Set<Int>()
      let listeners = state.listeners.filter { $0.loadBalancerId == lb.id && $0.acceptsCertificates }
      for l in listeners.sorted(by: { ($0.protocol == "HTTPS" ? 0 : 1) < ($1.protocol == "HTTPS" ? 0 : 1) }) {
        let port = l.port + offset
        guard (1...65535).contains(port) else {
          throw EmulatorError(
            "--tls-port-offset \(offset): listener \(l.id) port \(l.port) + \(offset) is outside 1-65535")
        }
        guard used.insert(port).inserted else { continue }
        endpoints.append(Endpoint(listenerId: l.id, loadBalancerId: lb.id, address: address, port: port))
      }
    }
    let order = Dictionary(uniqueKeysWithValues: state.listeners.enumerated().map { ($1.id, $0) })
    endpoints.sort { (order[$0.listenerId] ?? 0) < (order[$1.listenerId] ?? 0) }
    return ServingLayout(addresses: addresses, endpoints: endpoints)
  }

  /// The endpoint text `ADDRESS:PORT` of a listener, if served.
  func endpoint(listenerId: String) -> String? {
    endpoints.first { $0.listenerId == listenerId }.map { "\($0.address):\($0.port)" }
  }

  /// The loopback address of a load balancer's DNS name.
  func address(dnsName: String) -> String? {
    addresses.first { $0.dnsName == dnsName }?.address
  }
}
