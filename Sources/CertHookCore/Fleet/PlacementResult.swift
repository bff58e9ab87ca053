import Foundation

/// One (account, region) share of a fleet run: the deployments that had targets there and how they went, or why
/// the cloud session for it could not be opened (then every one of its deployments failed there, nothing else).
public struct PlacementResult: Codable, Sendable, Equatable {
  /// The account's name in `accounts:`; nil is the default credentials.
  public var account: String?
  /// The region named by the targets; nil is the configuration's region.
  public var region: String?
  /// The deployments with targets in this placement.
  public var deployments: [String]
  /// The plans and listener outcomes of this placement (empty when the session failed).
  public var result: SyncResult
  /// Why the session for this placement could not be opened (names the credential provider), else nil.
  public var sessionError: String?

  /// Creates a result.
  public init(
    placement: TargetPlacement, deployments: [String], result: SyncResult, sessionError: String? = nil
  ) {
    self.account = placement.account
    self.region = placement.region
    self.deployments = deployments
    self.result = result
    self.sessionError = sessionError
  }

  /// The placement this result belongs to.
  public var placement: TargetPlacement { TargetPlacement(account: account, region: region) }

  /// True when nothing failed here.
  public var succeeded: Bool {
    sessionError == nil && result.report.errors.isEmpty && !result.report.listeners.contains { $0.outcome == .failed }
  }
}
