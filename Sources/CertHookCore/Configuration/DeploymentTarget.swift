import Foundation

/// A deployment target: one listener, or every HTTPS/QUIC listener of a load balancer.
public enum DeploymentTarget: Sendable, Codable, Equatable, Hashable {
  /// A single listener by ID.
  case listener(String)
  /// All HTTPS and QUIC listeners of a load balancer, optionally filtered.
  case loadBalancer(String, protocols: [String]?, ports: [Int]?)

  /// A short label for messages.
  public var label: String {
    switch self {
    case .listener(let id): return id
    case .loadBalancer(let id, _, _): return id
    }
  }
}
