import Foundation

/// One (listener, domain) pair to handshake, with what the API says the listener holds.
public struct ProbeTarget: Sendable, Equatable, Codable {
  /// Load balancer ID.
  public var loadBalancerId: String
  /// Listener key.
  public var listenerId: String
  /// The listener's product (from its key).
  public var product: ListenerProduct
  /// Listener port (before any `--port-offset`).
  public var port: Int
  /// The DNS name of the load balancer.
  public var host: String
  /// The SNI name sent.
  public var domain: String
  /// SHA-256 (uppercase hex) -> ALB certificate ID of every certificate the API lists on the listener.
  public var listed: [String: String]

  /// Creates a target.
  public init(loadBalancerId: String, listenerId: String, port: Int, host: String, domain: String, listed: [String: String]) {
    self.loadBalancerId = loadBalancerId
    self.listenerId = listenerId
    self.product = ListenerProduct(key: listenerId)
    self.port = port
    self.host = host
    self.domain = domain
    self.listed = listed
  }
}
