import Foundation

/// The kinds of target a configuration mapping names, one key each, and what each kind needs beside its ID.
///
/// Rules it keeps: a listener kind takes no protocol/port filter (warned and ignored); `gaListener` needs its
/// accelerator (`accelerator:`, or written `ga-…/lsr-…`), `clbListener` its port (`port:`, 1-65535); a filter names
/// only protocols that carry certificates on the kind's product.
enum TargetKind: String, CaseIterable {
  case listener, loadBalancer, nlbListener, nlbLoadBalancer, gaListener, gaAccelerator, clbListener, clbLoadBalancer

  /// The product of the kind (`listener`/`loadBalancer` take any key and default to ALB).
  var product: ListenerProduct {
    switch self {
    case .listener, .loadBalancer: return .alb
    case .nlbListener, .nlbLoadBalancer: return .nlb
    case .gaListener, .gaAccelerator: return .ga
    case .clbListener, .clbLoadBalancer: return .clb
    }
  }

  var isListener: Bool {
    switch self {
    case .listener, .nlbListener, .gaListener, .clbListener: return true
    case .loadBalancer, .nlbLoadBalancer, .gaAccelerator, .clbLoadBalancer: return false
    }
  }

  /// The target of `id` written under `key`.
  func target(_ id: String, key: String, fields: ConfigurationFields) throws -> DeploymentTarget {
    if isListener {
      if fields.has("protocols") || fields.has("ports") {
        fields.warn("\(fields.path): protocols/ports filter only load balancer targets; ignored for a listener")
      }
      let listenerKey = try self.listenerKey(id, key: key, fields: fields)
      do {
        _ = try ListenerAddress(key: listenerKey)
      } catch {
        throw fields.error(key, "\(error)")
      }
      return .listener(listenerKey)
    }
    let lbKey = self == .loadBalancer ? id : product.qualified(ListenerProduct.unqualified(id))
    let protocols = try Self.protocols(fields, product: ListenerProduct(key: lbKey))
    return .loadBalancer(lbKey, protocols: protocols, ports: try Self.ports(fields))
  }

  private func listenerKey(_ id: String, key: String, fields: ConfigurationFields) throws -> String {
    switch self {
    case .nlbListener:
      return ListenerProduct.nlb.qualified(ListenerProduct.unqualified(id))
    case .gaListener:
      let bare = ListenerProduct.unqualified(id)
      if bare.contains("/") { return ListenerProduct.ga.qualified(bare) }
      guard let accelerator = try fields.string("accelerator"), !accelerator.isEmpty else {
        throw fields.error(key, "a GA listener needs its accelerator: add `accelerator: ga-…` (or write ga-…/\(bare))")
      }
      return ListenerAddress.ga(acceleratorId: ListenerProduct.unqualified(accelerator), listenerId: bare)
    case .clbListener:
      let bare = ListenerProduct.unqualified(id)
      if fields.has("port") {
        let port = try ConfigurationFields.inRange(try fields.int("port") ?? 0, 1...65535, path: fields.at("port"))
        return ListenerAddress.clb(loadBalancerId: bare, port: port)
      }
      guard bare.contains(":") else {
        throw fields.error(key, "a CLB listener is its load balancer and port: add `port: 443` (or write \(bare):443)")
      }
      return ListenerProduct.clb.qualified(bare)
    default:
      return id
    }
  }

  private static func protocols(_ fields: ConfigurationFields, product: ListenerProduct) throws -> [String]? {
    guard let list = try fields.stringList("protocols")?.map({ $0.uppercased() }) else { return nil }
    let allowed = product.certificateProtocols
    for (i, name) in list.enumerated() where !allowed.contains(name) {
      throw fields.error(
        "protocols[\(i)]",
        "\"\(name)\" is not a \(product.displayName) protocol that carries certificates (\(allowed.joined(separator: ", ")))")
    }
    return list
  }

  /// One port or a list of ports, each 1 to 65535.
  private static func ports(_ fields: ConfigurationFields) throws -> [Int]? {
    guard let value = try fields.value("ports") else { return nil }
    guard var list = try? value.unkeyedContainer() else {
      return [try ConfigurationFields.inRange(try fields.int("ports") ?? 0, 1...65535, path: fields.at("ports"))]
    }
    var ports: [Int] = []
    while !list.isAtEnd {
      let path = fields.at("ports[\(list.currentIndex)]")
      ports.append(
        try ConfigurationFields.inRange(try ConfigurationFields.int(list.superDecoder(), path: path), 1...65535, path: path))
    }
    return ports
  }
}
