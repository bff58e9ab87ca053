import AlibabaCloud
import CertHookCore
import CloudEmulator
import Foundation
import XCTest

/// Delivery is bounded and never throws: retries with backoff through the injected sleeper, a final 4xx,
/// a receiver that is down or too slow, every notifier at once, and a missing secret.
final class NotificationDeliveryTests: XCTestCase {
  actor Sleeps {
    var delays: [Duration] = []
    func add(_ d: Duration) { delays.append(d) }
  }

  private let event = NotificationEvent(kind: .deploymentFailed, deployment: "www", message: "www: failed")

  private func dispatcher(
    _ notifiers: [NotifierSettings], timeout: Double = 5, retries: Int = 2, sleeps: Sleeps = Sleeps(),
    transport: AsyncHTTPClientTransport
  ) -> NotificationDispatcher {
    NotificationDispatcher(
      transport: transport, settings: NotifySettings(notifiers: notifiers, timeout: timeout, retries: retries),
      sleep: { await sleeps.add($0) }, now: { Date(timeIntervalSince1970: 1_796_000_000) })
  }

  func testServerErrorsAreRetriedWithBackoffThenReported() async throws {
    let receiver = try await WebhookReceiver.start { _ in .init(status: 500, body: "oops") }
    defer { receiver.stop() }
    let transport = AsyncHTTPClientTransport()
    let sleeps = Sleeps()
    let results = await dispatcher(
      [NotifierSettings(name: "ops", kind: .webhook, url: receiver.url.absoluteString + "/x")], retries: 2,
      sleeps: sleeps, transport: transport
    ).deliver(command: "sync", host: nil, exitCode: 0, events: [event], secrets: [:])
    try await transport.shutdown()
    let delivery = try XCTUnwrap(results.first)
    XCTAssertFalse(delivery.delivered)
    XCTAssertEqual(delivery.attempts, 3)
    let count = await receiver.requests.count
    XCTAssertEqual(count, 3)
    let delays = await sleeps.delays
    XCTAssertEqual(delays, [.milliseconds(500), .milliseconds(1000)])
    XCTAssertEqual(delivery.summaryLine, "notify ops (webhook, 127.0.0.1): NOT delivered after 3 attempt(s): http 500: oops")
  }

  func testARecoveringReceiverGetsTheMessageOnTheSecondAttempt() async throws {
    let receiver = try await WebhookReceiver.start { n in n == 1 ? .init(status: 503, body: "busy") : .init() }
    defer { receiver.stop() }
    let transport = AsyncHTTPClientTransport()
    let results = await dispatcher(
      [NotifierSettings(kind: .slack, url: receiver.url.absoluteString + "/s")], transport: transport
    ).deliver(command: "sync", host: nil, exitCode: 1, events: [event], secrets: [:])
    try await transport.shutdown()
    XCTAssertEqual(results.map(\.delivered), [true])
    XCTAssertEqual(results.first?.attempts, 2)
  }

  func testAClientErrorIsFinal() async throws {
    let receiver = try await WebhookReceiver.start { _ in .init(status: 404, body: "no_service") }
    defer { receiver.stop() }
    let transport = AsyncHTTPClientTransport()
    let results = await dispatcher(
      [NotifierSettings(kind: .slack, url: receiver.url.absoluteString + "/s")], transport: transport
    ).deliver(command: "sync", host: nil, exitCode: 1, events: [event], secrets: [:])
    try await transport.shutdown()
    XCTAssertEqual(results.first?.attempts, 1)
    XCTAssertEqual(results.first?.error, "http 404: no_service")
  }

  func testAReceiverThatIsDownOrTooSlowIsReportedNotThrown() async throws {
    // A port nobody listens on: start a receiver, note its URL, stop it.
    let gone = try await WebhookReceiver.start()
    let downURL = gone.url.absoluteString + "/down"
    gone.stop()
    try await Task.sleep(for: .milliseconds(100))
    let slow = try await WebhookReceiver.start { _ in .init(status: 200, body: "{}", delay: .seconds(5)) }
    defer { slow.stop() }
    let fast = try await WebhookReceiver.start()
    defer { fast.stop() }
    let transport = AsyncHTTPClientTransport(timeouts: .init(connect: .milliseconds(300), read: .milliseconds(300), overall: .milliseconds(300)))
    let results = await dispatcher(
      [
        NotifierSettings(name: "down", kind: .webhook, url: downURL),
        NotifierSettings(name: "slow", kind: .webhook, url: slow.url.absoluteString + "/slow"),
        NotifierSettings(name: "fast", kind: .webhook, url: fast.url.absoluteString + "/fast"),
      ], timeout: 0.3, retries: 1, transport: transport
    ).deliver(command: "sync", host: nil, exitCode: 0, events: [event], secrets: [:])
    try await transport.shutdown()
    XCTAssertEqual(results.map(\.name), ["down", "slow", "fast"], "configuration order")
    XCTAssertEqual(results.map(\.delivered), [false, false, true])
    XCTAssertEqual(results.map(\.attempts), [2, 2, 1])
    let slowSeen = await slow.requests.count
    XCTAssertEqual(slowSeen, 2)
  }

  func testAMissingSecretSkipsThatNotifierAndNoEventMeansNoRequest() async throws {
    let receiver = try await WebhookReceiver.start()
    defer { receiver.stop() }
    let transport = AsyncHTTPClientTransport()
    let signed = NotifierSettings(name: "signed", kind: .webhook, url: receiver.url.absoluteString + "/a", secretEnv: "NOPE")
    let onlySuccess = NotifierSettings(name: "quiet", kind: .webhook, url: receiver.url.absoluteString + "/b", events: [.success])
    let results = await dispatcher([signed, onlySuccess], transport: transport)
      .deliver(command: "sync", host: nil, exitCode: 1, events: [event], secrets: [:])
    try await transport.shutdown()
    XCTAssertEqual(results.map(\.name), ["signed"], "a notifier without matching events is not contacted")
    XCTAssertEqual(results.first?.attempts, 0)
    XCTAssertEqual(results.first?.error, "its signing secret (environment variable NOPE) is not available")
    let count = await receiver.requests.count
    XCTAssertEqual(count, 0)
  }
}
