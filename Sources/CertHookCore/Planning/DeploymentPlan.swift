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

/// The plan for one listener.
public struct ListenerPlan: Codable, Sendable, Equatable {
  /// Listener ID.
  public var listenerId: String
  /// Owning load balancer, when known.
  public var loadBalancerId: String?
  /// Listener protocol, when known.
  public var listenerProtocol: String?
  /// Listener port, when known.
  public var port: Int?
  /// Certificates on the listener when planned (ALB IDs, sorted).
  public var currentCertificateIds: [String]
  /// The listener's default certificate when planned.
  public var defaultCertificateId: String?
  /// Changes, in execution order.
  public var actions: [PlannedAction]
  /// Things left alone and why (e.g. "left cert 123-cn-hangzhou alone: CAS returned no SANs").
  public var notes: [String]
  /// Certificates among the dissociations that are expired: retired first when the quota is full.
  public var quotaRetirable: [String]
  /// Why this listener cannot be planned (it then fails without changes).
  public var error: String?
  /// A certificate that must be verified `Associated` on the listener before anything is dissociated
  /// (the new certificate, or for prune the valid one that covers the retired names).
  public var requiresServing: String?

  /// Creates a listener plan.
  public init(
    listenerId: String, loadBalancerId: String?, listenerProtocol: String?, port: Int?,
    currentCertificateIds: [String] = [], defaultCertificateId: String? = nil, actions: [PlannedAction] = [],
    notes: [String] = [], quotaRetirable: [String] = [], error: String? = nil, requiresServing: String? = nil
  ) {
    self.listenerId = listenerId
    self.loadBalancerId = loadBalancerId
    self.listenerProtocol = listenerProtocol
    self.port = port
    self.currentCertificateIds = currentCertificateIds
    self.defaultCertificateId = defaultCertificateId
    self.actions = actions
    self.notes = notes
    self.quotaRetirable = quotaRetirable
    self.error = error
    self.requiresServing = requiresServing
  }
}

/// One change to a listener.
public struct PlannedAction: Codable, Sendable, Equatable {
  /// The kind of change.
  public enum Kind: String, Codable, Sendable {
    /// Associate additional certificates.
    case associate
    /// Dissociate additional certificates.
    case dissociate
    /// Replace the default certificate.
    case replaceDefault = "replace-default"
  }

  /// What to do.
  public var kind: Kind
  /// ALB certificate IDs involved.
  public var certificateIds: [String]
  /// Why.
  public var reason: String

  /// Creates an action.
  public init(kind: Kind, certificateIds: [String], reason: String) {
    self.kind = kind
    self.certificateIds = certificateIds
    self.reason = reason
  }
}

/// Additional-certificate usage of a load balancer (summed over its listeners).
public struct LoadBalancerUsage: Codable, Sendable, Equatable {
  /// Load balancer ID.
  public var loadBalancerId: String
  /// Additional certificates over all its HTTPS/QUIC listeners.
  public var additionalCertificates: Int
  /// The configured quota, when known.
  public var quota: Int?

  /// Creates a usage value.
  public init(loadBalancerId: String, additionalCertificates: Int, quota: Int?) {
    self.loadBalancerId = loadBalancerId
    self.additionalCertificates = additionalCertificates
    self.quota = quota
  }
}
