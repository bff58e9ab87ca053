import AlibabaCloud
import CertHookCore
import CloudEmulator
import Foundation
import Logging
import NIOConcurrencyHelpers
import XCTest

/// The one emulator harness of every test target: an in-process emulator on 127.0.0.1:0 on an injected
/// `TestClock`, with the library's clients (ALB, CAS and the `AlibabaCloudBackend` over them, made on that clock's
/// runtime unless a runtime is given) and a hand-signing raw client for tests that judge the emulator itself.
/// Nothing here sends a request until a test does; `stop()` ends the server and any transport that was used.
public final class EmulatorHarness: Sendable {
  public let server: EmulatorServer
  public let clock: TestClock
  public let alb: ALBClient
  public let cas: CASClient
  public let backend: AlibabaCloudBackend
  public let transport: LoopbackTransport
  public let configuration: ClientConfiguration

  private struct Signing {
    var accessKeyId = "testid"
    var secret = "testsecret"
    var securityToken: String?
    var nonce = 0
    var client: RawClient?
  }

  private let signing = NIOLockedValueBox(Signing())

  /// Wraps a started `server` whose clock is `clock`; the clients run on `runtime` (default: `clock.runtime()`).
  public init(
    server: EmulatorServer, clock: TestClock, runtime: ClientRuntime? = nil, retry: RetryPolicy = RetryPolicy(),
    logger: Logger = Logger(label: "test"), pollInterval: Duration = .milliseconds(15)
  ) throws {
    self.server = server
    self.clock = clock
    let transport = LoopbackTransport()
    let configuration = ClientConfiguration(
      region: "cn-hangzhou", albEndpoint: server.endpoint, casEndpoint: server.endpoint, retryPolicy: retry,
      runtime: runtime ?? clock.runtime(), logger: logger)
    let credentials = StaticCredentialProvider(AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret"))
    let alb = try ALBClient(configuration: configuration, credentials: credentials, transport: transport)
    let cas = try CASClient(configuration: configuration, credentials: credentials, transport: transport)
    self.transport = transport
    self.configuration = configuration
    self.alb = alb
    self.cas = cas
    self.backend = AlibabaCloudBackend(alb: alb, cas: cas, pollInterval: pollInterval)
  }

  /// Starts an emulator on `clock` (default: a clock at `TestClock.reference`) with a 50 ms job delay unless told
  /// otherwise.
  public static func start(
    seed: EmulatorSeed = .default, jobDelay: Duration = .milliseconds(50), faults: FaultSpec = .none,
    faultSeed: UInt64 = 1, clock: TestClock = TestClock(TestClock.reference), runtime: ClientRuntime? = nil,
    retry: RetryPolicy = RetryPolicy(), logger: Logger = Logger(label: "test"),
    pollInterval: Duration = .milliseconds(15), configure: (inout EmulatorConfiguration) -> Void = { _ in }
  ) async throws -> EmulatorHarness {
    var configuration = EmulatorConfiguration(
      seed: seed, jobDelay: jobDelay, faults: faults, faultSeed: faultSeed, clock: clock.function)
    configure(&configuration)
    let server = try await EmulatorServer.start(configuration)
    do {
      return try EmulatorHarness(
        server: server, clock: clock, runtime: runtime, retry: retry, logger: logger, pollInterval: pollInterval)
    } catch {
      await server.stop()
      throw error
    }
  }

  /// Stops the emulator and the clients' transport.
  public func stop() async {
    try? await transport.shutdown()
    await server.stop()
  }

  // MARK: - Reading the emulator

  /// Write actions from the one action table.
  public static let writeActions: Set<String> = Set(ApiAction.writeActionNames)

  /// Successful, non-dry-run write requests.
  public func writes() async -> [RequestRecord] {
    await server.appliedWrites()
  }

  /// The emulator's listener `id`.
  public func listener(_ id: String) async -> EmulatorState.Listener? {
    await server.state().loadBalancers.flatMap(\.listeners).first { $0.id == id }
  }

  /// The ALB identifier of the uploaded certificate with this SHA-256 fingerprint.
  public func identifier(sha256: String) async -> String? {
    await server.state().certificates.first { $0.sha2.uppercased() == sha256.uppercased() }?.certIdentifier
  }

  // MARK: - Hand-signed requests (judging the emulator without the library's signer)

  /// The AccessKey the hand-signed requests use.
  public var accessKeyId: String {
    get { signing.withLockedValue { $0.accessKeyId } }
    set { signing.withLockedValue { $0.accessKeyId = newValue } }
  }

  /// The secret the hand-signed requests use.
  public var secret: String {
    get { signing.withLockedValue { $0.secret } }
    set { signing.withLockedValue { $0.secret = newValue } }
  }

  /// The STS token the hand-signed requests send, if any.
  public var securityToken: String? {
    get { signing.withLockedValue { $0.securityToken } }
    set { signing.withLockedValue { $0.securityToken = newValue } }
  }

  /// A raw HTTP client for the emulator (made on first use).
  public var client: RawClient {
    signing.withLockedValue { state in
      if let client = state.client { return client }
      let client = RawClient(base: server.endpoint)
      state.client = client
      return client
    }
  }

  public var host: String { "127.0.0.1:\(server.port)" }

  /// `nonce-<n>-<clock seconds>`.
  public func nextNonce() -> String {
    let n = signing.withLockedValue {
      $0.nonce += 1
      return $0.nonce
    }
    return "nonce-\(n)-\(UInt64(clock.now.timeIntervalSince1970))"
  }

  public static func version(for action: String, product: ApiAction.Product? = nil) -> String {
    if let product { return product.version }
    return ApiAction.named(action)?.version ?? ApiAction.Product.cas.version
  }

  /// A V3 request with business parameters in the query (as the official SDK sends them); `product` picks the API
  /// version of a name several products share (default: the ALB/CAS/STS action of that name).
  public func call(_ action: String, _ params: [(String, String)] = [], product: ApiAction.Product? = nil) async throws
    -> Reply
  {
    let headers = HandSigner.v3(
      .init(
        host: host, action: action, version: Self.version(for: action, product: product), query: params,
        accessKeyId: accessKeyId, secret: secret, securityToken: securityToken, date: clock.now, nonce: nextNonce()))
    return try await client.send(query: params, headers: headers)
  }

  /// A V3 request with business parameters in a form body.
  public func callWithForm(_ action: String, _ params: [(String, String)], product: ApiAction.Product? = nil)
    async throws -> Reply
  {
    let body = Array(params.map { "\(HandSigner.encode($0.0))=\(HandSigner.encode($0.1))" }.joined(separator: "&").utf8)
    let headers = HandSigner.v3(
      .init(
        host: host, action: action, version: Self.version(for: action, product: product), body: body,
        contentType: "application/x-www-form-urlencoded", accessKeyId: accessKeyId, secret: secret,
        securityToken: securityToken, date: clock.now, nonce: nextNonce()))
    return try await client.send(headers: headers, body: body)
  }

  /// A V1 request with every parameter in the query.
  public func callV1(_ action: String, _ params: [(String, String)] = [], method: String = "POST") async throws
    -> Reply
  {
    let all = HandSigner.v1(
      method: method, params: [("Action", action), ("Version", Self.version(for: action))] + params,
      accessKeyId: accessKeyId, secret: secret, date: clock.now, nonce: nextNonce(), securityToken: securityToken)
    return try await client.send(method: method, query: all)
  }

  /// Uploads (hand-signed) a freshly issued certificate for `domains` and returns its ALB identifier.
  public func upload(name: String, domains: [String], days: Double = 90) async throws -> (
    certId: Int, identifier: String
  ) {
    let pem = try Fixtures.issue(domains: domains, now: clock.now, days: days)
    let reply = try await call("UploadUserCertificate", [("Name", name), ("Cert", pem.cert), ("Key", pem.key)])
    XCTAssertEqual(reply.status, 200, "upload failed: \(reply.code ?? "") \(reply.message)")
    let certId = try XCTUnwrap(reply.int("CertId"))
    return (certId, "\(certId)-cn-hangzhou")
  }

  /// Moves the clock past the 50 ms job delay so pending jobs finish.
  public func finishJobs() {
    clock.advance(0.06)
  }
}
