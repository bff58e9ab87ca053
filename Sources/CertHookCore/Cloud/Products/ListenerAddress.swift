import Foundation

/// A listener key taken apart into what its product's API calls need.
///
/// Rule it keeps: parsing never guesses. A qualified key must carry every part its product needs (`ga:` an
/// accelerator and a listener, `clb:` a load balancer and a port from 1 to 65535), or parsing throws naming the key.
public struct ListenerAddress: Sendable, Hashable {
  /// The product.
  public var product: ListenerProduct
  /// The engine's key (`lsr-…`, `nlb:lsn-…`, `ga:ga-…/lsr-…`, `clb:lb-…:443`).
  public var key: String
  /// The product's own listener ID (empty for CLB, whose listeners have none).
  public var listenerId: String
  /// The load balancer or accelerator ID, when the key carries it (GA, CLB).
  public var loadBalancerId: String?
  /// The port, when the key carries it (CLB).
  public var port: Int?

  /// Parses an engine key.
  public init(key: String) throws {
    self.key = key
    product = ListenerProduct(key: key)
    let rest = ListenerProduct.unqualified(key)
    switch product {
    case .alb, .nlb:
      guard !rest.isEmpty else { throw Self.malformed(key, "<listener>") }
      listenerId = rest
    case .ga:
      let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw Self.malformed(key, "<accelerator>/<listener>")
      }
      loadBalancerId = parts[0]
      listenerId = parts[1]
    case .clb:
      guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
        (1...65535).contains(port), colon > rest.startIndex
      else { throw Self.malformed(key, "<load balancer>:<port>") }
      loadBalancerId = String(rest[..<colon])
      self.port = port
      listenerId = ""
    }
  }

  /// The key of a GA listener.
  public static func ga(acceleratorId: String, listenerId: String) -> String {
    ListenerProduct.ga.qualified("\(acceleratorId)/\(listenerId)")
  }

  /// The key of a CLB listener.
  public static func clb(loadBalancerId: String, port: Int) -> String {
    ListenerProduct.clb.qualified("\(loadBalancerId):\(port)")
  }

  private static func malformed(_ key: String, _ shape: String) -> CertHookError {
    let product = ListenerProduct(key: key)
    return .invalidArgument("listener \"\(key)\": a \(product.displayName) listener is written \(product.rawValue):\(shape)")
  }
}
