import Foundation

extension EmulatorEngine {
  /// The key under which the primary world waits while another account's world is active (no account has an
  /// empty ID).
  static let primaryKey = ""

  /// The account whose world serves `caller`: the account of its seed key or of the role its STS credential
  /// belongs to, when the seed gives that account a world of its own; nil means the primary world.
  func account(of caller: VerifiedCaller) -> String? {
    let account = issued[caller.accessKeyId]?.accountId ?? accessKeys[caller.accessKeyId]?.accountId
    guard let account, accountWorlds[account] != nil else { return nil }
    return account
  }

  /// Makes `account`'s world (state and rate limits) the active one, with its jobs advanced to `now`.
  func activate(_ account: String, now: Date) {
    guard activeAccount == nil, var world = accountWorlds.removeValue(forKey: account) else { return }
    swap(&state, &world.state)
    swap(&limiter, &world.limiter)
    accountWorlds[Self.primaryKey] = world
    activeAccount = account
    advance(now: now)
  }

  /// Puts the active account's world back and the primary world in place again.
  func deactivate() {
    guard let account = activeAccount, var primary = accountWorlds.removeValue(forKey: Self.primaryKey) else { return }
    swap(&state, &primary.state)
    swap(&limiter, &primary.limiter)
    accountWorlds[account] = primary
    activeAccount = nil
  }

  /// The world of `account` as `GET /_emulator/state?account=` shows it; nil for an unknown account.
  func snapshot(account: String) -> EmulatorState? {
    guard accountWorlds[account] != nil else { return nil }
    activate(account, now: clock())
    let snapshot = StateSnapshot.make(state)
    deactivate()
    return snapshot
  }

  /// Builds every further account's world from the seed; their CAS IDs start a billion apart so no two accounts
  /// hand out the same ID.
  static func accountWorlds(
    _ configuration: EmulatorConfiguration, now: Date, firstCertId: Int
  ) throws -> [String: AccountWorld] {
    guard !configuration.seed.accounts.isEmpty else { return [:] }
    if configuration.statePath != nil {
      throw EmulatorError("--state cannot persist a seed with accounts: yet (every account's world lives in memory)")
    }
    var worlds: [String: AccountWorld] = [:]
    for (index, account) in configuration.seed.accounts.enumerated() {
      let seed = account.seed(defaultRegion: configuration.seed.region)
      let state = try Seeding.build(seed: seed, now: now, firstCertId: firstCertId + (index + 1) * 1_000_000_000)
      worlds[account.id] = AccountWorld(state: state, limiter: ActionThrottle(override: configuration.rateLimit))
    }
    return worlds
  }
}

/// One account's isolated world: its stored state and its own rate limits.
struct AccountWorld: Sendable {
  var state: StoredState
  var limiter: ActionThrottle
}
