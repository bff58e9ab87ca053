import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Rate limits, latency and injected faults.
final class LimitsAndFaultsTests: XCTestCase {
  func start(_ configure: @escaping (inout EmulatorConfiguration) -> Void) async throws -> EmulatorHarness {
    let harness = try await EmulatorHarness.start(configure: configure)
    addTeardownBlock { await harness.stop() }
    return harness
  }

  func testRateLimitOverrideAppliesToMutatingOperationsOnly() async throws {
    let h = try await start { $0.rateLimit = RateLimitOverride(count: 2, period: .seconds(1)) }
    for _ in 0..<2 {
      let r = try await h.call("DeleteUserCertificate", [("CertId", "1")])
      XCTAssertEqual(r.code, "NotFound")
    }
    let throttled = try await h.call("DeleteUserCertificate", [("CertId", "1")])
    XCTAssertEqual(throttled.status, 400)
    XCTAssertEqual(throttled.code, "Throttling.User")
    XCTAssertEqual(throttled.message, "Request was denied due to user flow control.")
    XCTAssertEqual(throttled.headers["x-acs-retry-after"], "1000")
    for _ in 0..<5 {
      let read = try await h.call("ListListeners")
      XCTAssertEqual(read.status, 200, "reads keep their own limit")
    }
    h.clock.advance(0.5)
    let stillThrottled = try await h.call("DeleteUserCertificate", [("CertId", "1")])
    XCTAssertEqual(stillThrottled.headers["x-acs-retry-after"], "500")
    h.clock.advance(0.5)
    let admitted = try await h.call("DeleteUserCertificate", [("CertId", "1")])
    XCTAssertEqual(admitted.code, "NotFound")
  }

  func testPublishedDefaultLimitOfListUserCertificateOrder() async throws {
    let h = try await start { _ in }
    var codes: [String] = []
    for _ in 0..<11 {
      let r = try await h.call("ListUserCertificateOrder", [("OrderType", "CERT")])
      codes.append(r.code ?? "OK")
    }
    XCTAssertEqual(codes, Array(repeating: "OK", count: 10) + ["Throttling.User"])
  }

  func testLatencyAndSlowFault() async throws {
    let h = try await start {
      $0.latency = .milliseconds(40)
      $0.faults = FaultSpec(slow: 1, slowDelay: .milliseconds(60))
    }
    let clock = ContinuousClock()
    let start = clock.now
    let reply = try await h.call("ListListeners")
    let elapsed = clock.now - start
    XCTAssertEqual(reply.status, 200)
    XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(100))
    let log = await h.server.requestLog()
    XCTAssertEqual(log.last?.fault, "slow")
  }

  func testThrottleAndUnavailableFaultsChangeNothing() async throws {
    let throttle = try await start { $0.faults = FaultSpec(throttle: 1) }
    let t = try await throttle.call("ListListeners")
    XCTAssertEqual(t.status, 400)
    XCTAssertEqual(t.code, "Throttling.User")
    let unavailable = try await start { $0.faults = FaultSpec(unavailable: 1) }
    let cert = try Fixtures.issue(domains: ["a.example.test"], now: unavailable.clock.now)
    let u = try await unavailable.call(
      "UploadUserCertificate", [("Name", "a"), ("Cert", cert.cert), ("Key", cert.key)])
    XCTAssertEqual(u.status, 503)
    XCTAssertEqual(u.code, "ServiceUnavailable")
    let state = await unavailable.server.state()
    XCTAssertFalse(state.certificates.contains { $0.name == "a" })
  }

  func testResetAppliesTheWriteThenDropsTheConnectionAndClientTokenRetryAppliesOnce() async throws {
    let h = try await start { $0.faults = FaultSpec(reset: 1) }
    let cert = try Fixtures.issue(domains: ["a.example.test"], now: h.clock.now)
    let params = [("Name", "a"), ("Cert", cert.cert), ("Key", cert.key), ("ClientToken", "retry-1")]
    do {
      _ = try await h.call("UploadUserCertificate", params)
      XCTFail("the connection should have been dropped")
    } catch {
      // expected: no response
    }
    var state = await h.server.state()
    XCTAssertEqual(state.certificates.filter { $0.name == "a" }.count, 1, "the write was applied before the drop")
    do {
      _ = try await h.call("UploadUserCertificate", params)
      XCTFail("the connection should have been dropped")
    } catch {}
    state = await h.server.state()
    XCTAssertEqual(
      state.certificates.filter { $0.name == "a" }.count, 1, "the retry with the same ClientToken applied nothing")
    let log = await h.server.requestLog()
    XCTAssertEqual(log.map { $0.status }, [0, 0])
    XCTAssertEqual(log.map { $0.replayed }, [false, true])
  }

  func faultSequence(seed: UInt64) async throws -> [String] {
    let h = try await EmulatorHarness.start {
      $0.faults = FaultSpec(throttle: 0.3, unavailable: 0.2, slow: 0.1, slowDelay: .milliseconds(1))
      $0.faultSeed = seed
    }
    for _ in 0..<30 {
      _ = try await h.call("ListListeners")
    }
    let log = await h.server.requestLog()
    await h.stop()
    return log.map { $0.fault ?? "-" }
  }

  func testFaultsAreReproducibleFromTheSeed() async throws {
    let a = try await faultSequence(seed: 7)
    let b = try await faultSequence(seed: 7)
    let c = try await faultSequence(seed: 8)
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a, c)
    XCTAssertTrue(a.contains("throttle") && a.contains("unavailable") && a.contains("-"), "\(a)")
  }

  func testParsingOfFaultsAndRateLimits() throws {
    let spec = try FaultSpec.parse("throttle=0.1,unavailable=0.05,reset=0.05,slow=0.05:2000")
    XCTAssertEqual(
      spec, FaultSpec(throttle: 0.1, unavailable: 0.05, reset: 0.05, slow: 0.05, slowDelay: .milliseconds(2000)))
    XCTAssertEqual(try FaultSpec.parse(""), .none)
    XCTAssertThrowsError(try FaultSpec.parse("throttle=2"))
    XCTAssertThrowsError(try FaultSpec.parse("explode=0.1"))
    XCTAssertThrowsError(try FaultSpec.parse("throttle=0.6,unavailable=0.6"))
    XCTAssertEqual(try RateLimitOverride.parse("5/1s"), RateLimitOverride(count: 5, period: .seconds(1)))
    XCTAssertEqual(try RateLimitOverride.parse("200/60s"), RateLimitOverride(count: 200, period: .seconds(60)))
    XCTAssertEqual(try RateLimitOverride.parse("3/500ms"), RateLimitOverride(count: 3, period: .milliseconds(500)))
    XCTAssertThrowsError(try RateLimitOverride.parse("0/1s"))
    XCTAssertThrowsError(try RateLimitOverride.parse("five"))
  }
}
