import Foundation

/// Answers "which certificate does listener L present for SNI name N right now" for the TLS
/// listeners: asks the engine for the listener's current set (or the frozen set of a `no-serve`
/// listener), applies `ServingRule`, and caches the converted identities.
actor ServingSource {
  private let engine: EmulatorEngine
  private let frozen: [String: ListenerServingSet]
  private var identities: [String: ServedIdentity] = [:]
  /// Handshakes answered, per presented certificate identifier.
  private(set) var presented: [String: Int] = [:]

  /// `frozen` holds the listeners whose data plane ignores API changes (the `no-serve` fault).
  init(engine: EmulatorEngine, frozen: [String: ListenerServingSet]) {
    self.engine = engine
    self.frozen = frozen
  }

  /// The identity to present, or nil when the listener holds no certificate.
  func identity(listenerId: String, serverName: String?) async -> ServedIdentity? {
    let set: ListenerServingSet?
    if let fixed = frozen[listenerId] {
      set = fixed
    } else {
      set = await engine.servingSet(listenerId: listenerId)
    }
    guard let set, let chosen = ServingRule.select(set, serverName: serverName) else { return nil }
    presented[chosen.identifier, default: 0] += 1
    if let cached = identities[chosen.identifier] { return cached }
    guard let identity = try? ServedIdentity(chosen) else { return nil }
    identities[chosen.identifier] = identity
    return identity
  }
}
