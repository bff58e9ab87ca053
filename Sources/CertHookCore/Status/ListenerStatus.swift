import Foundation

/// One target listener in `certhook status`: what it serves now and what a `sync` would do to it.
public struct ListenerStatus: Codable, Sendable, Equatable {
  /// Listener ID.
  public var listenerId: String
  /// Owning load balancer, when known.
  public var loadBalancerId: String?
  /// `HTTPS` or `QUIC`, when known.
  public var listenerProtocol: String?
  /// Port, when known.
  public var port: Int?
  /// Certificates on the listener now (ALB IDs, sorted), the default one included.
  public var serving: [String]
  /// The default certificate, when known.
  public var defaultCertificateId: String?
  /// Converged (nothing to do), pending (actions below) or failing (error below).
  public var state: DeploymentStatus.State
  /// What a `sync` would do.
  public var pendingActions: [PlannedAction]
  /// Why it cannot be planned.
  public var error: String?

  /// The status of a planned listener.
  public init(_ plan: ListenerPlan) {
    listenerId = plan.listenerId
    loadBalancerId = plan.loadBalancerId
    listenerProtocol = plan.listenerProtocol
    port = plan.port
    serving = plan.currentCertificateIds
    defaultCertificateId = plan.defaultCertificateId
    pendingActions = plan.actions
    error = plan.error
    state = plan.error != nil ? .failing : (plan.actions.isEmpty ? .converged : .pending)
  }
}
