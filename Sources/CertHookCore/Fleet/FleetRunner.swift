import Foundation

/// `sync` over every (account, region) the configuration's targets use: one cloud session per placement, opened
/// lazily by the caller's `session` closure; placements run at the same time, except that within one account and
/// CAS site the first placement runs (and uploads) before the others of that site start, so each certificate is
/// uploaded once per (account, CAS site). A placement whose session cannot be opened fails only its own
/// deployments' targets there; every other placement goes on.
public struct FleetRunner: Sendable {
  /// Opens the session of a placement, runs `body` with its context and closes the session again.
  public typealias Session = @Sendable (
    _ placement: TargetPlacement, _ body: @Sendable (RunnerContext) async -> SyncResult
  ) async throws -> SyncResult

  /// The whole configuration.
  public let configuration: CertHookConfiguration
  /// Opens one placement's session.
  public let session: Session
  /// The CAS site a placement's certificates go to (the same string for the same site), e.g. its endpoint URL.
  public let casSite: @Sendable (TargetPlacement) -> String

  /// Creates a runner.
  public init(
    configuration: CertHookConfiguration, session: @escaping Session,
    casSite: @escaping @Sendable (TargetPlacement) -> String
  ) {
    self.configuration = configuration
    self.session = session
    self.casSite = casSite
  }

  /// Syncs every deployment (or those in `only`) in every placement its targets use.
  public func sync(dryRun: Bool = false, only: [String] = []) async -> FleetSyncResult {
    let placements = configuration.placements(only: only)
    // Placements sharing an account and a CAS site: the first one leads, the rest follow it.
    var sites: [String: [TargetPlacement]] = [:]
    var order: [String] = []
    for placement in placements {
      let key = (placement.account ?? "") + "\u{1F}" + casSite(placement)
      if sites[key] == nil { order.append(key) }
      sites[key, default: []].append(placement)
    }
    let groups = order.compactMap { sites[$0] }
    let runner = self
    let results = await withTaskGroup(of: [PlacementResult].self) { tasks in
      for group in groups {
        tasks.addTask {
          guard let lead = group.first else { return [] }
          let first = await runner.run(lead, dryRun: dryRun, only: only)
          let rest = await withTaskGroup(of: PlacementResult.self) { followers in
            for placement in group.dropFirst() {
              followers.addTask { await runner.run(placement, dryRun: dryRun, only: only) }
            }
            var collected: [PlacementResult] = []
            for await result in followers { collected.append(result) }
            return collected
          }
          return [first] + rest
        }
      }
      var all: [PlacementResult] = []
      for await part in tasks { all += part }
      return all
    }
    return FleetSyncResult(groups: results.sorted { $0.placement < $1.placement }, dryRun: dryRun)
  }

  /// One placement: its share of the configuration through `SyncRunner` in its own session.
  func run(_ placement: TargetPlacement, dryRun: Bool, only: [String]) async -> PlacementResult {
    let part = configuration.restricted(to: placement, only: only)
    let names = part.deployments.map(\.name)
    do {
      let result = try await session(placement) { context in
        await SyncRunner(configuration: part, context: context).run(dryRun: dryRun)
      }
      return PlacementResult(placement: placement, deployments: names, result: result)
    } catch {
      let message = "cannot open a session: \(error)"
      let report = DeploymentReport(
        dryRun: dryRun,
        errors: names.map { "\($0): \(message); nothing was uploaded or changed for its targets here" })
      return PlacementResult(
        placement: placement, deployments: names, result: SyncResult(plans: [], report: report),
        sessionError: message)
    }
  }
}
