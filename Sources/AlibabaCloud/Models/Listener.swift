import Foundation

/// An ALB listener as `ListListeners` reports it.
public struct Listener: Sendable, Equatable, Codable {
  /// Listener ID, e.g. `lsr-...`.
  public var id: String
  /// The ALB instance ID, e.g. `alb-...`.
  public var loadBalancerId: String
  /// `HTTP`, `HTTPS` or `QUIC`.
  public var `protocol`: String
  /// Listening port.
  public var port: Int
  /// `Provisioning`, `Running`, `Configuring` or `Stopped`.
  public var status: String
  /// Free-text description (may be empty).
  public var description: String?

  /// Creates a listener value.
  public init(id: String, loadBalancerId: String, protocol: String, port: Int, status: String, description: String?) {
    self.id = id
    self.loadBalancerId = loadBalancerId
    self.protocol = `protocol`
    self.port = port
    self.status = status
    self.description = description
  }

  /// Whether the listener can carry certificates (HTTPS or QUIC).
  public var acceptsCertificates: Bool {
    let p = `protocol`.uppercased()
    return p == "HTTPS" || p == "QUIC"
  }

  init(json: JSONValue) {
    self.init(
      id: json["ListenerId"]?.string ?? "", loadBalancerId: json["LoadBalancerId"]?.string ?? "",
      protocol: json["ListenerProtocol"]?.string ?? "", port: json["ListenerPort"]?.int ?? 0,
      status: json["ListenerStatus"]?.string ?? "", description: json["ListenerDescription"]?.string)
  }
}
