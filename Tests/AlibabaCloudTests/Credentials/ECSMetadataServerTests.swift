import AlibabaCloud
import Foundation
import Hummingbird
import Logging
import XCTest

/// The ECS RAM-role provider against a real HTTP server on 127.0.0.1 that speaks the metadata protocol
/// (token first, then the role name, then the credentials), through the production transport.
final class ECSMetadataServerTests: XCTestCase {
  /// What the fake metadata service saw: token requests and credential reads with their token header.
  actor Seen {
    var tokenRequests = 0
    var credentialReads: [String] = []
    func token() { tokenRequests += 1 }
    func read(_ header: String) { credentialReads.append(header) }
  }

  private func startMetadataServer(seen: Seen, expiration: String) async throws -> (URL, Task<Void, any Error>) {
    let router = Router()
    router.put("/latest/api/token") { request, _ -> String in
      guard header(request, "X-aliyun-ecs-metadata-token-ttl-seconds") == "21600" else {
        throw HTTPError(.badRequest)
      }
      await seen.token()
      return "session-token-1"
    }
    router.get("/latest/meta-data/ram/security-credentials/") { request, _ -> String in
      guard header(request, "X-aliyun-ecs-metadata-token") == "session-token-1" else {
        throw HTTPError(.unauthorized)
      }
      return "certhook-role"
    }
    router.get("/latest/meta-data/ram/security-credentials/certhook-role") { request, _ -> Response in
      let header = header(request, "X-aliyun-ecs-metadata-token") ?? ""
      await seen.read(header)
      guard header == "session-token-1" else { throw HTTPError(.unauthorized) }
      let body = """
        {"Code": "Success", "AccessKeyId": "STS.ecs-id", "AccessKeySecret": "ecs-secret-DO-NOT-LEAK",
         "SecurityToken": "ecs-sts-token", "Expiration": "\(expiration)", "LastUpdated": "2026-11-29T00:00:00Z"}
        """
      return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
    let (stream, continuation) = AsyncStream<Int>.makeStream()
    let app = Application(
      router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
      onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
      logger: Logger(label: "metadata-test") { _ in SwiftLogNoOpLogHandler() })
    let task = Task { try await app.runService(gracefulShutdownSignals: []) }
    var iterator = stream.makeAsyncIterator()
    let next = await iterator.next()
    let port = try XCTUnwrap(next)
    return (try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)")), task)
  }

  func testFetchesTokenRoleAndCredentialsAndRefreshesBeforeExpiration() async throws {
    let seen = Seen()
    let (url, server) = try await startMetadataServer(seen: seen, expiration: "2026-11-29T06:00:00Z")
    let transport = AsyncHTTPClientTransport()
    let expiry = try XCTUnwrap(AcsTimestamp.parse("2026-11-29T06:00:00Z"))
    let clock = LockedDate(expiry.addingTimeInterval(-3600))
    let provider = ECSMetadataCredentialProvider(baseURL: url, transport: transport, now: { clock.value })
    do {
      let first = try await provider.credentials()
      XCTAssertEqual(first?.accessKeyId, "STS.ecs-id")
      XCTAssertEqual(first?.securityToken, "ecs-sts-token")
      XCTAssertEqual(first?.expiration, expiry)
      XCTAssertFalse(String(describing: first).contains("ecs-secret-DO-NOT-LEAK"))
      _ = try await provider.credentials()  // cached: an hour before expiry
      let readsWhileCached = await seen.credentialReads.count
      XCTAssertEqual(readsWhileCached, 1)
      clock.value = expiry.addingTimeInterval(-60)  // inside the refresh margin
      _ = try await provider.credentials()
      let reads = await seen.credentialReads
      XCTAssertEqual(reads, ["session-token-1", "session-token-1"])
      let tokens = await seen.tokenRequests
      XCTAssertGreaterThanOrEqual(tokens, 1)
    } catch {
      try? await transport.shutdown()
      server.cancel()
      throw error
    }
    try await transport.shutdown()
    server.cancel()
  }
}

/// A request header by case-insensitive name.
private func header(_ request: Request, _ name: String) -> String? {
  request.headers.first { $0.name.canonicalName == name.lowercased() }?.value
}

/// A date the test moves by hand, readable from any thread.
final class LockedDate: @unchecked Sendable {
  private let lock = NSLock()
  private var date: Date
  init(_ date: Date) { self.date = date }
  var value: Date {
    get { lock.withLock { date } }
    set { lock.withLock { date = newValue } }
  }
}
