import Foundation

/// Draws one fault (or none) per API request from a seeded generator, so a run is reproducible.
struct FaultInjector: Sendable {
  let spec: FaultSpec
  private var random: DeterministicRandom
  private var busyRandom: DeterministicRandom

  init(spec: FaultSpec, seed: UInt64) {
    self.spec = spec
    self.random = DeterministicRandom(seed: seed)
    self.busyRandom = DeterministicRandom(seed: seed ^ 0xB05_71B)
  }

  /// Whether this `UpdateListenerAttribute` finds its load balancer busy; one draw per such call, from a
  /// generator of its own, so the other faults of a run do not change when `busy-lb` is added.
  mutating func drawBusyLoadBalancer() -> Bool {
    spec.busyLoadBalancer > 0 && busyRandom.unit() < spec.busyLoadBalancer
  }

  /// Exactly one draw per call, whatever the outcome.
  mutating func draw() -> InjectedFault? {
    if spec.isNone { return nil }
    let r = random.unit()
    var edge = spec.throttle
    if r < edge { return .throttle }
    edge += spec.unavailable
    if r < edge { return .unavailable }
    edge += spec.reset
    if r < edge { return .reset }
    edge += spec.slow
    if r < edge { return .slow }
    return nil
  }
}
