import Foundation

/// One listener's outcome (its product named, for every output).
public struct ListenerOutcome: Codable, Sendable, Equatable {
  /// What happened.
  public enum Outcome: String, Codable, Sendable, CaseIterable {
    /// Changed as planned.
    case updated
    /// Already right; nothing done.
    case unchanged
    /// Would change (dry run).
    case planned
    /// Not attempted (e.g. an earlier step of the deployment failed).
    case skipped
    /// Failed; see `error`. Old certificates stay in place.
    case failed
  }

  /// Listener ID (or load balancer ID when the load balancer itself could not be resolved).
  public var listenerId: String
  /// The listener's product (from its key).
  public var product: ListenerProduct
  /// Owning load balancer, when known.
  public var loadBalancerId: String?
  /// Deployment name, when from the configuration.
  public var deployment: String?
  /// The outcome.
  public var outcome: Outcome
  /// Actions done (or, for `planned`, that would be done).
  public var actions: [PlannedAction]
  /// Notes from planning and execution.
  public var notes: [String]
  /// The error text for `failed` (or `skipped`).
  public var error: String?

  /// Creates an outcome.
  public init(
    listenerId: String, loadBalancerId: String?, deployment: String?, outcome: Outcome, actions: [PlannedAction] = [],
    notes: [String] = [], error: String? = nil
  ) {
    self.listenerId = listenerId
    self.product = ListenerProduct(key: listenerId)
    self.loadBalancerId = loadBalancerId
    self.deployment = deployment
    self.outcome = outcome
    self.actions = actions
    self.notes = notes
    self.error = error
  }
}
