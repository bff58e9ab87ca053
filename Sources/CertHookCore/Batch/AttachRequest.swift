import CertificateKit
import Foundation

/// What `certhook attach` asks for.
public struct AttachRequest: Sendable, Equatable {
  /// The certificate (files or an existing ID).
  public var certificate: CertificateReference
  /// Listener IDs.
  public var listeners: [String]
  /// Load balancer IDs (all their HTTPS and QUIC listeners).
  public var loadBalancers: [String]
  /// Optional protocol filter for load balancers (`HTTPS`, `QUIC`).
  public var protocols: [String]?
  /// Optional port filter for load balancers.
  public var ports: [Int]?
  /// Replacement policy (default `covered`).
  public var replace: ReplacePolicy
  /// Placement mode (default `additional`; `default` with `--default`).
  public var mode: DeploymentMode
  /// Print the plan and run the API prechecks only.
  public var dryRun: Bool

  /// Creates a request.
  public init(
    certificate: CertificateReference, listeners: [String] = [], loadBalancers: [String] = [],
    protocols: [String]? = nil, ports: [Int]? = nil, replace: ReplacePolicy = .covered,
    mode: DeploymentMode = .additional,
    dryRun: Bool = false
  ) {
    self.certificate = certificate
    self.listeners = listeners
    self.loadBalancers = loadBalancers
    self.protocols = protocols
    self.ports = ports
    self.replace = replace
    self.mode = mode
    self.dryRun = dryRun
  }

  var targets: [DeploymentTarget] {
    listeners.map { .listener($0) } + loadBalancers.map { .loadBalancer($0, protocols: protocols, ports: ports) }
  }
}
