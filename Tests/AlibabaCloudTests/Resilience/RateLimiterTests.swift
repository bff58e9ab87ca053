import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

final class RateLimiterTests: XCTestCase {
  func testBurstThenRefillRate() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let limiter = RateLimiter(limits: ["A": RateLimit(requests: 10, per: .seconds(1))], runtime: clock.runtime())
    let start = clock.now
    for _ in 0..<30 { try await limiter.acquire("A") }
    // 10 immediately, then 20 more at 10/s (each window 20 ms longer than the period: SendWindow.jitterAllowance).
    XCTAssertEqual(clock.now.timeIntervalSince(start), 2.04, accuracy: 0.01)
    // Other actions have their own bucket.
    let before = clock.now
    try await limiter.acquire("B")
    XCTAssertEqual(clock.now, before)
  }

  func testPublishedDefaults() async {
    let limiter = RateLimiter(runtime: TestClock(Fixtures.clientStart).runtime())
    let associate = await limiter.limit(for: "AssociateAdditionalCertificatesWithListener")
    XCTAssertEqual(associate, RateLimit(requests: 200, per: .seconds(60)))
    let list = await limiter.limit(for: "ListUserCertificateOrder")
    XCTAssertEqual(list.perSecond, 10)
    let upload = await limiter.limit(for: "UploadUserCertificate")
    XCTAssertEqual(upload.perSecond, 100)
    XCTAssertEqual(RateLimit(parsing: "20/1s"), RateLimit(requests: 20, per: .seconds(1)))
    XCTAssertEqual(RateLimit(parsing: "200/60s")?.description, "200/60s")
    XCTAssertNil(RateLimit(parsing: "x/1s"))
  }

  func testAdaptiveSlowDownAfterThrottleAndRecovery() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let limiter = RateLimiter(limits: ["A": RateLimit(requests: 100, per: .seconds(1))], runtime: clock.runtime())
    for _ in 0..<20 {
      try await limiter.acquire("A")
      await limiter.recordSuccess("A")
    }
    try await limiter.acquire("A")
    let underTheLimit = await limiter.recordThrottled("A")
    XCTAssertFalse(underTheLimit, "the server allows less: adapted to, not taken for bunching")
    let slowed = await limiter.currentRate(for: "A")
    // What the server accepted in the last second (20), but a known limit is cut by at most a quarter per throttle.
    XCTAssertEqual(slowed, 75, accuracy: 0.01)
    let start = clock.now
    for _ in 0..<80 { try await limiter.acquire("A") }
    XCTAssertGreaterThan(clock.now.timeIntervalSince(start), 0.8)
    // Throttled again a second later with 20 accepted: another quarter off, never below what was accepted.
    clock.advance(1.0)
    for _ in 0..<20 {
      try await limiter.acquire("A")
      await limiter.recordSuccess("A")
    }
    try await limiter.acquire("A")
    await limiter.recordThrottled("A")
    let again = await limiter.currentRate(for: "A")
    XCTAssertLessThan(again, slowed)
    XCTAssertGreaterThanOrEqual(again, 20)
    clock.advance(.seconds(60))
    let recovered = await limiter.currentRate(for: "A")
    XCTAssertEqual(recovered, 100)
  }

  /// On a busy machine answers lag their sends: the rate kept after a throttle is what the server accepted in the
  /// second before the throttled request left, counted by send time, not the few answers that came in the second
  /// before the throttled answer did (those would leave only the floor of a known limit, 75 of 100).
  func testAThrottleKeepsWhatWasAcceptedBeforeTheRequestLeft() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let limiter = RateLimiter(limits: ["A": RateLimit(requests: 100, per: .seconds(1))], runtime: clock.runtime())
    let start = clock.now
    var sent: [Date] = []
    for _ in 0..<90 {  // 90 sends in the first 0.9 s, answered late
      try await limiter.acquire("A")
      sent.append(clock.now)
      clock.advance(0.01)
    }
    clock.set(start.addingTimeInterval(1.0))
    try await limiter.acquire("A")
    let lastAccepted = clock.now
    clock.advance(0.065)
    await limiter.recordSuccess("A", sentAt: lastAccepted)
    for date in sent { await limiter.recordSuccess("A", sentAt: date) }
    try await limiter.acquire("A")
    let throttledSend = clock.now
    clock.set(start.addingTimeInterval(1.6))  // the throttled answer comes half a second later
    await limiter.recordThrottled("A", sentAt: throttledSend)
    let slowed = await limiter.currentRate(for: "A")
    // Sent in the second before the throttled request: the 83 of the first 90 sent after 0.065 s, and the one at 1 s.
    XCTAssertEqual(slowed, 84, accuracy: 0.01, "counted by send time")
  }

  /// Callers that queued behind a slowdown go at the rate in force when their turn comes: none books a wait
  /// longer than the horizon at the slowed rate (40 callers queued at 1/s used to book up to 40 s ahead, and kept
  /// waiting long after the rate had grown back).
  func testCallersQueuedBehindASlowdownBookNoMoreThanTheHorizon() async throws {
    let clock = TestClock(Fixtures.clientStart)
    // No known limit for "A": the fallback guess, which a throttle cuts to what the server accepted.
    let limiter = RateLimiter(limits: [:], runtime: clock.runtime())
    try await limiter.acquire("A")
    await limiter.recordSuccess("A")
    try await limiter.acquire("A")
    let underTheLimit = await limiter.recordThrottled("A")
    XCTAssertFalse(underTheLimit, "the server allows less: adapted to, not taken for bunching")
    let slowed = await limiter.currentRate(for: "A")
    XCTAssertEqual(slowed, 1, accuracy: 0.01, "one request accepted in the second before")
    let before = clock.recordedSleeps.count
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<40 { group.addTask { try await limiter.acquire("A") } }
      try await group.waitForAll()
    }
    let sleeps = clock.recordedSleeps.dropFirst(before).map(RetryPolicy.seconds)
    XCTAssertFalse(sleeps.isEmpty)
    XCTAssertLessThanOrEqual(sleeps.max() ?? 0, RateLimiter.adaptiveHorizon + 0.001, "longest booked wait")
  }

  /// A burst of 200 against a server that only accepts 20/s: the client settles near the server's
  /// limit and no error reaches the caller.
  func testBurstAgainstLowerServerLimitSettlesWithoutErrors() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let server = ServerBucket(rate: 20, clock: clock)
    let transport = FakeTransport { _, _ in
      server.take()
        ? FakeTransport.json(["RequestId": "ok", "JobId": "j"])
        : FakeTransport.error(400, code: "Throttling.User", message: "Request was denied due to user flow control.")
    }
    let alb = try Fixtures.alb(transport, clock: clock)
    let start = clock.now
    for i in 0..<200 {
      _ = try await alb.associateAdditionalCertificates(listenerId: "l", certificateIds: ["\(i)-cn-hangzhou"])
    }
    let elapsed = clock.now.timeIntervalSince(start)
    XCTAssertLessThan(elapsed, 12, "finished in \(elapsed) s")
    XCTAssertGreaterThan(elapsed, 8)
    let totals = await alb.rpc.configuration.metrics.totals()
    XCTAssertEqual(totals.failures, 0)
    XCTAssertLessThan(totals.throttled, 30, "the limiter adapted instead of collecting throttling errors")
  }
}

/// A server-side token bucket (capacity = rate) on the test clock.
final class ServerBucket: @unchecked Sendable {
  private let lock = NSLock()
  private let rate: Double
  private var tokens: Double
  private var updated: Date
  private let clock: TestClock

  init(rate: Double, clock: TestClock) {
    self.rate = rate
    self.tokens = rate
    self.clock = clock
    self.updated = clock.now
  }

  func take() -> Bool {
    lock.withLock {
      let now = clock.now
      tokens = min(rate, tokens + now.timeIntervalSince(updated) * rate)
      updated = now
      guard tokens >= 1 else { return false }
      tokens -= 1
      return true
    }
  }
}

/// The static limit is a sliding window: a server counting over any window of the period never sees more.
final class SendWindowTests: XCTestCase {
  func testNoWindowOfThePeriodEverHoldsMoreThanTheLimit() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let limiter = RateLimiter(limits: ["A": RateLimit(requests: 100, per: .seconds(1))], runtime: clock.runtime())
    var sent: [Date] = []
    for _ in 0..<450 {
      try await limiter.acquire("A")
      sent.append(clock.now)
    }
    // A token bucket of 100 refilled at 100/s let 200 through in the first second; the window lets 100.
    for (i, t) in sent.enumerated() {
      let inWindow = sent[i...].prefix { $0.timeIntervalSince(t) < 1 }.count
      XCTAssertLessThanOrEqual(inWindow, 100, "sends in [\(t.timeIntervalSince(sent[0])), +1 s)")
    }
    // (Each window is 20 ms longer than the period: arrivals jitter, see SendWindow.jitterAllowance.)
    XCTAssertEqual(sent.last?.timeIntervalSince(sent[0]) ?? 0, 4.08, accuracy: 0.01, "100 at once, then 100 a second")
  }

  /// Throttled with the window full (arrivals bunched up on the way), the limiter keeps its rate; throttled below
  /// the limit, it slows down (see `RateLimiterTests.testAdaptiveSlowDownAfterThrottleAndRecovery`).
  func testAThrottleAtTheLimitKeepsTheRate() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let limiter = RateLimiter(limits: ["A": RateLimit(requests: 20, per: .seconds(1))], runtime: clock.runtime())
    for _ in 0..<20 { try await limiter.acquire("A") }
    let bunched = await limiter.recordThrottled("A")
    XCTAssertTrue(bunched, "a full window: arrivals bunched on the way")
    let kept = await limiter.currentRate(for: "A")
    XCTAssertEqual(kept, 20, accuracy: 0.01)
    let start = clock.now
    try await limiter.acquire("A")
    // The refused send did not count: the retry waits only the even pacing's 50 ms (the bunching throttle spread
    // the sends out), not a window for a slot.
    XCTAssertEqual(clock.now.timeIntervalSince(start), 0.05, accuracy: 0.001, "the refused send did not count")
  }

  /// Throttled after the server accepted the limit's requests within 1.25 periods (arrivals bunched on a busy
  /// machine), the limiter keeps its rate: only the throttled send is retried.
  func testAThrottleAfterTheLimitWasAcceptedKeepsTheRate() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let limiter = RateLimiter(limits: ["A": RateLimit(requests: 20, per: .seconds(1))], runtime: clock.runtime())
    for _ in 0..<20 {  // 20 accepted over the last 1.2 s: 17 in the client's window, the limit within 1.25 periods
      try await limiter.acquire("A")
      await limiter.recordSuccess("A")
      clock.advance(0.06)
    }
    try await limiter.acquire("A")
    await limiter.recordThrottled("A")
    let kept = await limiter.currentRate(for: "A")
    XCTAssertEqual(kept, 20, accuracy: 0.01)
    // Well under the limit (10 of 20 in the last second) a throttle says the server allows less: slow down.
    clock.advance(5.0)
    for _ in 0..<10 {
      try await limiter.acquire("A")
      await limiter.recordSuccess("A")
      clock.advance(0.05)
    }
    try await limiter.acquire("A")
    let underTheLimit = await limiter.recordThrottled("A")
    XCTAssertFalse(underTheLimit, "the server allows less: adapted to, not taken for bunching")
    let slowed = await limiter.currentRate(for: "A")
    XCTAssertEqual(slowed, 15, accuracy: 0.01, "10 accepted, but at most a quarter off the known limit")
  }

  /// Once the server throttled sends at the window's edge (arrivals bunched up), a per-second limit is paced
  /// evenly: its sends leave a period divided by its requests apart instead of a period's burst at once.
  func testAThrottleAtTheWindowEdgeSpreadsTheSendsOut() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let limiter = RateLimiter(limits: ["A": RateLimit(requests: 20, per: .seconds(1))], runtime: clock.runtime())
    let start = clock.now
    for _ in 0..<20 { try await limiter.acquire("A") }
    XCTAssertEqual(clock.now, start, "a burst while nothing was throttled")
    await limiter.recordThrottled("A")  // the window is full: bunched arrivals
    var sent: [Date] = []
    for _ in 0..<40 {
      try await limiter.acquire("A")
      sent.append(clock.now)
    }
    let gaps = zip(sent, sent.dropFirst()).map { $1.timeIntervalSince($0) }
    XCTAssertGreaterThanOrEqual(gaps.min() ?? 0, 0.05 - 1e-6, "20 a second, 50 ms apart")
    let rate = await limiter.currentRate(for: "A")
    XCTAssertEqual(rate, 20, accuracy: 0.01, "the rate itself stays")
  }

  func testAThrottledSendIsGivenBack() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let limiter = RateLimiter(
      limits: ["A": RateLimit(requests: 3, per: .seconds(60))], adaptive: false, runtime: clock.runtime())
    let start = clock.now
    for _ in 0..<3 { try await limiter.acquire("A") }
    XCTAssertEqual(clock.now, start, "a per-minute limit keeps its burst")
    await limiter.recordThrottled("A")
    let before = clock.now
    try await limiter.acquire("A")
    XCTAssertEqual(clock.now, before, "the refused send did not count: the fourth goes at once")
    try await limiter.acquire("A")
    XCTAssertEqual(clock.now.timeIntervalSince(before), 60.02, accuracy: 0.01)
  }
}
