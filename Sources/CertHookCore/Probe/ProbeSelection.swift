import Foundation

/// What `certhook probe` looks at: listeners, load balancers, or a configuration's deployments, with
/// optional explicit domains (otherwise the deployments' domains or the listed certificates' SANs).
public struct ProbeSelection: Sendable, Equatable {
  /// One group of listeners and the domains to probe on them (nil: the listed certificates' SANs).
  public struct Group: Sendable, Equatable {
    /// Listener and load balancer targets.
    public var targets: [DeploymentTarget]
    /// Domains; nil takes them from what the API lists on each listener.
    public var domains: [String]?

    /// Creates a group.
    public init(targets: [DeploymentTarget], domains: [String]?) {
      self.targets = targets
      self.domains = domains
    }
  }

  /// The groups, probed in order.
  public var groups: [Group]

  /// Creates a selection.
  public init(groups: [Group]) {
    self.groups = groups
  }

  /// `--listener`/`--load-balancer` selectors with optional `--domain`s.
  public static func selectors(listeners: [String], loadBalancers: [String], domains: [String]) -> ProbeSelection {
    let targets =
      listeners.map { DeploymentTarget.listener($0) }
      + loadBalancers.map { DeploymentTarget.loadBalancer($0, protocols: nil, ports: nil) }
    return ProbeSelection(groups: [Group(targets: targets, domains: domains.isEmpty ? nil : domains)])
  }

  /// Every deployment of a configuration: its targets with its domains (or the `--domain`s).
  public static func configuration(_ configuration: CertHookConfiguration, domains: [String]) -> ProbeSelection {
    ProbeSelection(
      groups: configuration.deployments.map { deployment in
        Group(targets: deployment.targets, domains: domains.isEmpty ? deployment.domains : domains)
      })
  }
}
