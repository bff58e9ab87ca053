import Foundation

/// The outcome of `deploy-hook` over several accounts and regions: each placement's share, and the hook's result
/// with every placement's plans and listeners together (errors prefixed with their placement).
public struct FleetDeployHookResult: Sendable, Equatable {
  /// Every placement the matched deployments use.
  public var fleet: FleetSyncResult
  /// The whole hook, as a single-session hook reports it.
  public var merged: DeployHookResult
}
