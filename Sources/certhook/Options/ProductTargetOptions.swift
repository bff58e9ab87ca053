import ArgumentParser
import CertHookCore

/// The listeners and load balancers of NLB, Global Accelerator and CLB on the command line, beside `--listener`
/// and `--load-balancer` (which take ALB IDs and any product's qualified key, `nlb:lsn-…`, `ga:ga-…/lsr-…`,
/// `clb:lb-…:443`).
///
/// Rule it keeps: every value becomes the engine key of its product, or the command stops before any call naming
/// the flag and the shape it expects.
struct ProductTargetOptions: ParsableArguments {
  @Option(name: .customLong("nlb-listener"), help: "NLB TCPSSL listener ID (lsn-…; repeatable).")
  var nlbListeners: [String] = []

  @Option(name: .customLong("nlb-load-balancer"), help: "NLB instance ID: all its TCPSSL listeners (repeatable).")
  var nlbLoadBalancers: [String] = []

  @Option(name: .customLong("ga-listener"), help: "Global Accelerator HTTPS listener as ACCELERATOR/LISTENER (ga-…/lsr-…; repeatable).")
  var gaListeners: [String] = []

  @Option(name: .customLong("ga-accelerator"), help: "Global Accelerator ID: all its HTTPS listeners (repeatable).")
  var gaAccelerators: [String] = []

  @Option(name: .customLong("clb-listener"), help: "CLB HTTPS listener as LOAD_BALANCER:PORT (lb-…:443; repeatable).")
  var clbListeners: [String] = []

  @Option(name: .customLong("clb-load-balancer"), help: "CLB instance ID: all its HTTPS listeners (repeatable).")
  var clbLoadBalancers: [String] = []

  /// The listener keys these flags name.
  func listenerKeys() throws -> [String] {
    try nlbListeners.map { try Self.key(.nlb, $0, flag: "--nlb-listener") }
      + gaListeners.map { try Self.key(.ga, $0, flag: "--ga-listener") }
      + clbListeners.map { try Self.key(.clb, $0, flag: "--clb-listener") }
  }

  /// The load balancer keys these flags name.
  func loadBalancerKeys() throws -> [String] {
    try nlbLoadBalancers.map { try Self.id(.nlb, $0, flag: "--nlb-load-balancer") }
      + gaAccelerators.map { try Self.id(.ga, $0, flag: "--ga-accelerator") }
      + clbLoadBalancers.map { try Self.id(.clb, $0, flag: "--clb-load-balancer") }
  }

  /// `--listener` values as engine keys (`lsn-…` becomes `nlb:lsn-…`; qualified keys are checked).
  static func listenerKeys(_ values: [String], flag: String = "--listener") throws -> [String] {
    try values.map { value in
      guard !value.isEmpty else { throw ValidationError("\(flag) must not be empty") }
      let key: String
      if case .listener(let k)? = DeploymentTarget.fromScalar(value) { key = k } else { key = value }
      do { _ = try ListenerAddress(key: key) } catch { throw ValidationError("\(flag) \(value): \(error)") }
      return key
    }
  }

  /// `--load-balancer` values as engine keys (`nlb-…` becomes `nlb:nlb-…`, `ga-…` `ga:ga-…`, `lb-…` `clb:lb-…`).
  static func loadBalancerKeys(_ values: [String], flag: String = "--load-balancer") throws -> [String] {
    try values.map { value in
      guard !value.isEmpty else { throw ValidationError("\(flag) must not be empty") }
      if case .loadBalancer(let k, _, _)? = DeploymentTarget.fromScalar(value) { return k }
      return value
    }
  }

  private static func key(_ product: ListenerProduct, _ value: String, flag: String) throws -> String {
    let key = product.qualified(ListenerProduct.unqualified(value))
    do {
      _ = try ListenerAddress(key: key)
    } catch {
      throw ValidationError("\(flag) \(value): \(error)")
    }
    return key
  }

  private static func id(_ product: ListenerProduct, _ value: String, flag: String) throws -> String {
    let bare = ListenerProduct.unqualified(value)
    guard !bare.isEmpty else { throw ValidationError("\(flag) must not be empty") }
    return product.qualified(bare)
  }
}
