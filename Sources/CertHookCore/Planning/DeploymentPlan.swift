import Foundation

/// What will be done to every target listener, and why. Executed exactly as planned.
public struct DeploymentPlan: Codable, Sendable, Equatable {
  /// The deployment this plan serves, when it comes from the configuration.
  public var deployment: String?
  /// The certificate being deployed (or detached).
  public var certificate: MappedCertificate
  /// Placement mode.
  public var mode: DeploymentMode
  /// Replacement policy.
  public var replace: ReplacePolicy
  /// One entry per target listener, sorted by listener ID.
  public var listeners: [ListenerPlan]
  /// Additional-certificate usage per load balancer seen while planning.
  public var loadBalancers: [LoadBalancerUsage]

  /// Creates a plan.
  public init(
    deployment: String?, certificate: MappedCertificate, mode: DeploymentMode, replace: ReplacePolicy,
    listeners: [ListenerPlan], loadBalancers: [LoadBalancerUsage]
  ) {
    self.deployment = deployment
    self.certificate = certificate
    self.mode = mode
    self.replace = replace
    self.listeners = listeners
    self.loadBalancers = loadBalancers
  }

  /// True when no listener needs a change.
  public var isNoop: Bool { listeners.allSatisfy { $0.actions.isEmpty && $0.error == nil } }
}
