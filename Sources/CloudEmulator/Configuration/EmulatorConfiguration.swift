import Foundation
import Logging

/// Everything an `EmulatorServer` needs: address, seed, timing, limits, faults, persistence, clock.
public struct EmulatorConfiguration: Sendable {
  /// The address to bind.
  public var host = "127.0.0.1"
  /// The port to bind; 0 picks an ephemeral port (read it from `EmulatorServer.port`).
  public var port = 0
  /// The initial world (ignored when `statePath` names an existing state file).
  public var seed: EmulatorSeed = .default
  /// Added to every API response.
  public var latency: Duration = .zero
  /// How long an asynchronous ALB job (associate, dissociate, update) takes.
  public var jobDelay: Duration = .seconds(1)
  /// When set, the limit of every mutating operation (reads keep their defaults).
  public var rateLimit: RateLimitOverride? = nil
  /// Injected faults.
  public var faults: FaultSpec = .none
  /// Seed of the deterministic fault generator.
  public var faultSeed: UInt64 = 1
  /// A JSON file that persists the state (atomic writes, mode 0600) and is reloaded at start.
  public var statePath: String? = nil
  /// Terminate TLS for every HTTPS/QUIC listener (load balancer N at 127.0.1.N, see docs/emulator.md).
  public var serveTLS = false
  /// Added to every listener port when serving TLS (port 443 needs root).
  public var tlsPortOffset = 0
  /// The clock used for signature date checks, job times, rate limits and certificate status.
  public var clock: @Sendable () -> Date = { Date() }
  /// A connection that sends nothing for this long (idle, or a request head or body trickled in slowly) is
  /// closed: one slow client cannot hold a connection forever.
  public var connectionTimeout: Duration = .seconds(30)
  /// The first CAS certificate ID of a fresh world; nil derives it from the start time, so IDs never repeat
  /// across runs. Setting it replays an earlier run's IDs: only for testing how a client cache copes with a
  /// cloud that contradicts it.
  public var firstCertificateId: Int? = nil
  /// Keep every request as it arrived in the request log (`WireRecord`), for the conformance suite's re-signing.
  /// Off by default: the records hold signatures, tokens and uploaded private keys.
  public var recordWire = false
  /// When set, every STS credential the emulator issues expires this long after it is issued, whatever
  /// `DurationSeconds` asked for (so a test can outlive a credential in seconds, not hours).
  public var stsCredentialLifetime: Duration? = nil
  /// Where the server logs (nothing by default).
  public var logger: Logger = Logger(label: "certhook.emulator", factory: { _ in SwiftLogNoOpLogHandler() })

  /// Creates a configuration; every argument has a default.
  public init(
    host: String = "127.0.0.1",
    port: Int = 0,
    seed: EmulatorSeed = .default,
    latency: Duration = .zero,
    jobDelay: Duration = .seconds(1),
    rateLimit: RateLimitOverride? = nil,
    faults: FaultSpec = .none,
    faultSeed: UInt64 = 1,
    statePath: String? = nil,
    clock: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.host = host
    self.port = port
    self.seed = seed
    self.latency = latency
    self.jobDelay = jobDelay
    self.rateLimit = rateLimit
    self.faults = faults
    self.faultSeed = faultSeed
    self.statePath = statePath
    self.clock = clock
  }
}
