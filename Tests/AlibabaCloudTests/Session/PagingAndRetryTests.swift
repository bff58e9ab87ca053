@testable import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

/// The NextToken cap (issue 11) and the retry notice behind `retrying (n/N)` (issue 10 part 4).
final class PagingAndRetryTests: XCTestCase {
  func testFreshNextTokenOnEveryPageStopsAtTheCap() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let transport = FakeTransport { _, index in
      FakeTransport.json(["RequestId": "r", "Listeners": [], "NextToken": "token-\(index)"])
    }
    let alb = try Fixtures.alb(transport, clock: clock)
    do {
      _ = try await alb.listListeners()
      XCTFail("a listing that never ends must fail")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .invalidResponse)
      XCTAssertTrue(error.message.contains("stopped after \(ALBClient.maxPages) pages"), error.message)
    }
    XCTAssertEqual(transport.requests.count, ALBClient.maxPages)
  }

  func testRepeatedNextTokenStopsAndSaysSo() async throws {
    let transport2 = FakeTransport { _, index in
      FakeTransport.json(["RequestId": "r", "Listeners": [], "NextToken": index < 2 ? "t\(index)" : "t0"])
    }
    let alb = try Fixtures.alb(transport2, clock: TestClock(Fixtures.clientStart))
    do {
      _ = try await alb.listListeners()
      XCTFail("a repeated token must stop the listing")
    } catch let error as AlibabaCloudError {
      XCTAssertTrue(error.message.contains("stopped at page 4: NextToken t0 was handed out before"), error.message)
    }
    XCTAssertEqual(transport2.requests.count, 3)
  }

  func testEveryRetryIsAnnouncedWithItsNumber() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let notices = NoticeBox()
    let transport = FakeTransport { _, index in
      index < 2 ? FakeTransport.error(400, code: "Throttling.User") : FakeTransport.json(["RequestId": "r"])
    }
    var config = Fixtures.configuration(clock: clock)
    config.onRetry = { notices.append($0) }
    let alb = try ALBClient(configuration: config, credentials: StaticCredentialProvider(Fixtures.credentials), transport: transport)
    _ = try await alb.getListenerAttribute(listenerId: "lsr-1")
    let seen = notices.all
    XCTAssertEqual(seen.map(\.retry), [1, 2])
    XCTAssertEqual(seen.map(\.maxRetries), [7, 7])
    XCTAssertEqual(seen.first?.reason, "Throttling.User")
    XCTAssertTrue(seen.first?.text.hasPrefix("retrying (1/7): GetListenerAttribute after Throttling.User") ?? false)
  }
}

private final class NoticeBox: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [RetryNotice] = []
  func append(_ notice: RetryNotice) { lock.withLock { items.append(notice) } }
  var all: [RetryNotice] { lock.withLock { items } }
}
