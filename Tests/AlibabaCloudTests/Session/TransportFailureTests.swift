@testable import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 10 part 4 and issue 11: a refused connection fails at once with a message that names host and port;
/// a server trickling its answer cannot keep one attempt alive past the request timeout.
final class TransportFailureTests: XCTestCase {
  func testRefusedConnectionNamesHostAndPortAndIsNotRetried() async throws {
    let port = try TricklingServer.closedPort()
    let transport = AsyncHTTPClientTransport(timeouts: .init(connect: .seconds(2), read: .seconds(2), overall: .seconds(4)))
    let clock = TestClock(Fixtures.clientStart)
    let alb = try ALBClient(
      configuration: Fixtures.configuration(clock: clock, endpoint: "http://127.0.0.1:\(port)"),
      credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport)
    do {
      _ = try await alb.listListeners()
      XCTFail("nothing listens there")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(
        error.description, "ListListeners: cannot connect to 127.0.0.1:\(port) (connection refused): is the emulator running?")
      XCTAssertFalse(error.isRetryable)
    }
    XCTAssertTrue(clock.recordedSleeps.isEmpty, "a refused connection is not retried: \(clock.recordedSleeps)")
    try await transport.shutdown()
    let remote = TransportFailure.classify(
      RefusedText(), target: .init(method: "POST", url: try XCTUnwrap(URL(string: "https://alb.cn-hangzhou.aliyuncs.com/"))))
    XCTAssertTrue(remote.message.hasPrefix("cannot connect to alb.cn-hangzhou.aliyuncs.com:443 (connection refused): check"), remote.message)
  }

  func testTricklingServerCannotOutlastTheRequestTimeout() async throws {
    // 10,000 bytes announced, one sent every 0.3 s: without a whole-exchange deadline this attempt lasts 50 minutes
    // (the read timeout of 2 s never fires).
    let server = try TricklingServer(
      head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n", trickle: 10_000,
      interval: 0.3)
    defer { server.stop() }
    let transport = AsyncHTTPClientTransport(timeouts: .init(connect: .seconds(1), read: .seconds(2), overall: .seconds(1)))
    do {
      _ = try await transport.send(
        HTTPRequestSpec(method: "POST", url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)/"))))
      XCTFail("the trickle must be cut off")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .transport)
      XCTAssertTrue(error.isRetryable)
      XCTAssertTrue(error.message.contains("no complete answer within 1 s"), error.message)
      XCTAssertTrue(error.message.contains("127.0.0.1:\(server.port)"), error.message)
    }
    try await transport.shutdown()
  }

  func testUnbuildableRequestsAreConfigurationErrorsWithoutValues() async throws {
    let transport = AsyncHTTPClientTransport()
    do {
      _ = try await transport.send(
        HTTPRequestSpec(
          method: "POST", url: try XCTUnwrap(URL(string: "http://127.0.0.1:9/")),
          headers: [("x-acs-security-token", "secret-token\r\nInjected: yes")]))
      XCTFail("a header with CR LF cannot be sent")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .configuration, error.message)
      XCTAssertFalse(error.isRetryable)
      XCTAssertFalse(error.message.contains("secret-token"), error.message)
    }
    try await transport.shutdown()
  }
}

/// The text NIO gave for a refused connection on today's main (`connection reset (error set): ...`).
private struct RefusedText: Error, CustomStringConvertible {
  var description: String { "connection reset (error set): Connection refused (errno: 111)" }
}
