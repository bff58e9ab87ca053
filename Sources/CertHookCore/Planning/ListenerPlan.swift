import Foundation

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
  /// The wave (1-based) this listener rotates in when its load balancer's free quota does not let every listener
  /// rotate at once; nil when there is one wave.
  public var wave: Int?

  /// Creates a listener plan.
  public init(
    listenerId: String, loadBalancerId: String?, listenerProtocol: String?, port: Int?,
    currentCertificateIds: [String] = [], defaultCertificateId: String? = nil, actions: [PlannedAction] = [],
    notes: [String] = [], quotaRetirable: [String] = [], error: String? = nil, requiresServing: String? = nil,
    wave: Int? = nil
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
    self.wave = wave
  }
}
