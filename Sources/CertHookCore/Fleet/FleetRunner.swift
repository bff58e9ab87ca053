import Foundation

/// `sync` and `deploy-hook` over every (account, region) the configuration's targets use: one cloud session per
/// placement, opened lazily by the caller's `session` closure. Placements run at the same time, except that within
/// one account and CAS site the first placement maps (uploads) before the others of that site do, so each
/// certificate is uploaded once per (account, CAS site): in a `sync` the others open their sessions and find their
/// listeners meanwhile and then take the certificates it mapped; a hook's others start when it ends. A placement
/// whose session cannot be opened fails only its own deployments' targets there; every other placement goes on.
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

  /// A runner whose placements open their sessions from `sessions`.
  public init(configuration: CertHookConfiguration, sessions: FleetSessions) {
    self.init(
      configuration: configuration, session: { try await sessions.open($0, $1) }, casSite: { sessions.casSite($0) })
  }

  /// Syncs every deployment (or those in `only`) in every placement its targets use.
  public func sync(dryRun: Bool = false, only: [String] = []) async -> FleetSyncResult {
    await fanOut(configuration.placements(only: only), dryRun: dryRun) { runner, placement, site in
      await runner.run(placement, dryRun: dryRun, only: only) { context in
        var sync = SyncRunner(configuration: runner.configuration.restricted(to: placement, only: only), context: context)
        sync.certificatesMapped = site.publish
        sync.mappedElsewhere = site.leadMapped
        return await sync.run(dryRun: dryRun)
      }
    }
  }

  /// `deploy-hook` over every placement of the deployments the certificate matches: the certificate is inspected
  /// first, without any session, and a refusal (or no matching deployment) ends the run there, touching no
  /// account; then each placement maps and deploys it as `DeployHookRunner` does.
  public func deployHook(
    _ invocation: HookInvocation, inspection: HookInspection, dryRun: Bool = false
  ) async throws -> FleetDeployHookResult {
    let matched = try DeployHookRunner.inspect(invocation, configuration: configuration, settings: inspection)
    let names = matched.map(\.name)
    let fleet = await fanOut(configuration.placements(only: names), dryRun: dryRun) { runner, placement, site in
      _ = await site.leadMapped()
      return await runner.run(placement, dryRun: dryRun, only: names) { context in
        do {
          // Every deployment of the placement, so the hook never retires what an unmatched one deploys there.
          let part = runner.configuration.restricted(to: placement)
          let result = try await DeployHookRunner(configuration: part, context: context).run(invocation, dryRun: dryRun)
          return SyncResult(plans: result.plans, report: result.report)
        } catch {
          return SyncResult(plans: [], report: DeploymentReport(dryRun: dryRun, errors: ["\(error)"]))
        }
      }
    }
    let merged = DeployHookResult(
      invocation: invocation, deployments: names, plans: fleet.merged.plans, report: fleet.merged.report)
    return FleetDeployHookResult(fleet: fleet, merged: merged)
  }

  /// Runs `placements` at the same time; within one account and CAS site the first placement leads (see `SiteRole`).
  private func fanOut(
    _ placements: [TargetPlacement], dryRun: Bool,
    _ each: @escaping @Sendable (FleetRunner, TargetPlacement, SiteRole) async -> PlacementResult
  ) async -> FleetSyncResult {
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
    // The sessions' stores share the state file: it is written behind for the whole fan-out, and once at its end.
    let results = await SharedStateWrites.together {
      await withTaskGroup(of: [PlacementResult].self) { tasks in
        for group in groups {
          tasks.addTask {
            guard let lead = group.first else { return [] }
            let gate = SiteGate()
            async let leading: PlacementResult = {
              let result = await each(runner, lead, SiteRole(publish: { await gate.open($0) }, leadMapped: { [] }))
              await gate.open([])
              return result
            }()
            let rest = await withTaskGroup(of: PlacementResult.self) { followers in
              for placement in group.dropFirst() {
                followers.addTask {
                  await each(runner, placement, SiteRole(publish: { _ in }, leadMapped: { await gate.wait() }))
                }
              }
              var collected: [PlacementResult] = []
              for await result in followers { collected.append(result) }
              return collected
            }
            return [await leading] + rest
          }
        }
        var all: [PlacementResult] = []
        for await part in tasks { all += part }
        return all
      }
    }
    return FleetSyncResult(groups: results.sorted { $0.placement < $1.placement }, dryRun: dryRun)
  }

  /// One placement: its share of the configuration through `body` in its own session.
  func run(
    _ placement: TargetPlacement, dryRun: Bool, only: [String],
    _ body: @escaping @Sendable (RunnerContext) async -> SyncResult
  ) async -> PlacementResult {
    let names = configuration.restricted(to: placement, only: only).deployments.map(\.name)
    do {
      let result = try await session(placement) { context in await body(context) }
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

/// A placement's part in its (account, CAS site) group. The lead maps first and `publish`es what it mapped; the
/// others' `leadMapped` returns that once it is published (or once the lead ended, with nothing), and returns at
/// once for the lead.
struct SiteRole: Sendable {
  let publish: @Sendable ([MappedCertificate]) async -> Void
  let leadMapped: @Sendable () async -> [MappedCertificate]
}

/// Opens once, with what the lead mapped; whoever waits before then resumes with it when it opens.
private actor SiteGate {
  private var mapped: [MappedCertificate]?
  private var waiters: [CheckedContinuation<[MappedCertificate], Never>] = []

  func open(_ certificates: [MappedCertificate]) {
    guard mapped == nil else { return }
    mapped = certificates
    waiters.forEach { $0.resume(returning: certificates) }
    waiters = []
  }

  func wait() async -> [MappedCertificate] {
    if let mapped { return mapped }
    return await withCheckedContinuation { waiters.append($0) }
  }
}
