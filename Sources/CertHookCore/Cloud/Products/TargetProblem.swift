import Foundation

/// The words for a target that names nothing to put a certificate on, the same from the pre-check and the planner.
enum TargetProblem {
  /// A load balancer with no listener that carries certificates on its product (after the filters).
  static func noMatchingListener(_ loadBalancer: String) -> String {
    let protocols = ListenerProduct(key: loadBalancer).certificateProtocols.joined(separator: " or ")
    return "load balancer \(loadBalancer) has no matching \(protocols) listener (or does not exist)"
  }

  /// A listener whose protocol carries no certificates on its product.
  static func carriesNoCertificates(_ id: String, _ listener: CloudListener) -> String {
    let protocols = listener.product.certificateProtocols.joined(separator: " and ")
    return "listener \(id) is \(listener.listenerProtocol); only \(protocols) listeners carry certificates"
  }
}
