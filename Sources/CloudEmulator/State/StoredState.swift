import Foundation

/// The complete emulator world, including private keys; persisted to `--state` and never served.
struct StoredState: Codable, Sendable {
  var version = 1
  var region: String
  var loadBalancers: [StoredLoadBalancer] = []
  var listeners: [StoredListener] = []
  var certificates: [StoredCertificate] = []
  var jobs: [StoredJob] = []
  var idempotency: [String: IdempotencyEntry] = [:]
  var events: [EmulatorEvent] = []
  var nextCertId = 13_781_001
  var nextEventSeq = 1
  var ids = DeterministicRandom(seed: 0x0C0F_FEE0)
}
