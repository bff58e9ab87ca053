import Foundation

/// The complete emulator world, including private keys; persisted to `--state` and never served.
struct StoredState: Codable, Sendable {
  var version = 1
  /// The ALB region.
  var region: String
  /// The CAS site's region when the seed names it; nil follows the ALB region (`CASSite`).
  var casRegion: String? = nil
  var loadBalancers: [StoredLoadBalancer] = []
  var listeners: [StoredListener] = []
  var certificates: [StoredCertificate] = []
  var jobs: [StoredJob] = []
  /// CLB server certificates of the region (optional so state files written before CLB still load).
  var serverCertificates: [StoredServerCertificate]? = nil
  /// CLB server certificates allowed in the region (nil: 100).
  var serverCertificateQuota: Int? = nil
  var nextDomainExtension: Int? = nil
  var idempotency: [String: IdempotencyEntry] = [:]
  var events: [EmulatorEvent] = []
  /// The next CAS ID; a fresh world starts it from its start time (`Seeding`), so IDs never repeat across runs.
  var nextCertId = 13_781_001
  var nextEventSeq = 1
  var ids = DeterministicRandom(seed: 0x0C0F_FEE0)
}
