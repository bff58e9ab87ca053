import AlibabaCloud
import CertHookCore
import CloudEmulator
import Foundation
import Logging

/// An emulator on 127.0.0.1:0 plus an `AlibabaCloudBackend` talking to it, both on a clock that starts at
/// `Fixtures.now` and advances in real time (jobs need time to pass).
final class EmulatorHarness: Sendable {
  let server: EmulatorServer
  let backend: AlibabaCloudBackend
  let transport: AsyncHTTPClientTransport

  static func start(
    seed: EmulatorSeed, jobDelay: Duration = .milliseconds(30), faults: FaultSpec = .none, faultSeed: UInt64 = 1,
    tlsPortOffset: Int? = nil
  ) async throws -> EmulatorHarness {
    let origin = Date()
    let clock: @Sendable () -> Date = { Fixtures.now.addingTimeInterval(Date().timeIntervalSince(origin)) }
    var emulator = EmulatorConfiguration(seed: seed, jobDelay: jobDelay, faults: faults, faultSeed: faultSeed, clock: clock)
    if let tlsPortOffset {
      emulator.serveTLS = true
      emulator.tlsPortOffset = tlsPortOffset
    }
    let server = try await EmulatorServer.start(emulator)
    let runtime = ClientRuntime(
      now: clock, nonce: { UUID().uuidString.lowercased() }, random: { 0.5 }, sleep: { try await Task.sleep(for: $0) })
    var logger = Logger(label: "certhook.test.client")
    logger.logLevel = .critical
    let configuration = ClientConfiguration(
      region: "cn-hangzhou", albEndpoint: server.endpoint, casEndpoint: server.endpoint,
      retryPolicy: RetryPolicy(
        maxAttempts: 8, baseDelay: .milliseconds(10), maxDelay: .milliseconds(100), totalTimeCap: .seconds(20)),
      runtime: runtime, logger: logger)
    let credentials = StaticCredentialProvider(AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret"))
    let transport = AsyncHTTPClientTransport()
    let alb = try ALBClient(configuration: configuration, credentials: credentials, transport: transport)
    let cas = try CASClient(configuration: configuration, credentials: credentials, transport: transport)
    return EmulatorHarness(
      server: server, backend: AlibabaCloudBackend(alb: alb, cas: cas, pollInterval: .milliseconds(15)),
      transport: transport)
  }

  private init(server: EmulatorServer, backend: AlibabaCloudBackend, transport: AsyncHTTPClientTransport) {
    self.server = server
    self.backend = backend
    self.transport = transport
  }

  func stop() async {
    try? await transport.shutdown()
    await server.stop()
  }

  static let writeActions: Set<String> = Set(ApiAction.writeActionNames)

  /// Successful, non-dry-run write requests.
  func writes() async -> [RequestRecord] {
    await server.requestLog().filter { Self.writeActions.contains($0.action) && !$0.dryRun && $0.status == 200 }
  }

  func listener(_ id: String) async -> EmulatorState.Listener? {
    await server.state().loadBalancers.flatMap(\.listeners).first { $0.id == id }
  }

  func identifier(sha256: String) async -> String? {
    await server.state().certificates.first { $0.sha2.uppercased() == sha256.uppercased() }?.certIdentifier
  }
}
