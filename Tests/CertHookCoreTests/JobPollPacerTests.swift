import Foundation
import XCTest

@testable import CertHookCore

/// Job polling follows what the server's jobs took, within the configured interval.
final class JobPollPacerTests: XCTestCase {
  func testNothingLearnedKeepsHalfAnIntervalThenTheInterval() {
    let w = JobPollPacer.waits(learned: [], interval: .seconds(1))
    XCTAssertEqual(w, .init(first: .milliseconds(500), then: .seconds(1)))
  }

  func testShortJobsAreLookedAtJustAfterTheyTendToFinish() {
    // 300 ms jobs (the rotation benchmark's emulator): look after 330 ms, then every 150 ms.
    let w = JobPollPacer.waits(learned: Array(repeating: 0.3, count: 8), interval: .seconds(1))
    XCTAssertEqual(w, .init(first: .milliseconds(330), then: .milliseconds(150)))
  }

  func testTheSlowerQuarterDecidesNotTheAverage() {
    let w = JobPollPacer.waits(learned: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.6, 0.6], interval: .seconds(2))
    XCTAssertEqual(w.first, .milliseconds(645))
  }

  /// The association watch looks when nine in ten recent jobs would have been done (a look too early costs a listing
  /// read): one slow job in eight moves its first look, not the default rule's.
  func testAHigherQuantileWaitsForTheSlowerTenth() {
    let learned = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.6]
    XCTAssertEqual(JobPollPacer.waits(learned: learned, interval: .seconds(2)).first, .milliseconds(120))
    XCTAssertEqual(JobPollPacer.waits(learned: learned, interval: .seconds(2), quantile: 0.9).first, .milliseconds(645))
  }

  func testLongJobsNeverWaitLongerThanTheInterval() {
    let w = JobPollPacer.waits(learned: [8, 9, 10], interval: .seconds(1))
    XCTAssertEqual(w, .init(first: .seconds(1), then: .seconds(1)))
  }

  func testInstantJobsStillWaitAFloor() {
    let w = JobPollPacer.waits(learned: [0, 0, 0], interval: .seconds(1))
    XCTAssertEqual(w, .init(first: .milliseconds(20), then: .milliseconds(20)))
  }

  func testRecordsServerDurationsAndIgnoresNonsense() async {
    let pacer = JobPollPacer()
    await pacer.record(createMilliseconds: 1_000, modifyMilliseconds: 1_300)
    await pacer.record(createMilliseconds: nil, modifyMilliseconds: 5)
    await pacer.record(createMilliseconds: 9_000, modifyMilliseconds: 1_000)  // clock went backwards
    let w = await pacer.waits(interval: .seconds(1))
    XCTAssertEqual(w.first, .milliseconds(330))
    for _ in 0..<(JobPollPacer.window + 5) { await pacer.record(createMilliseconds: 0, modifyMilliseconds: 100) }
    let later = await pacer.waits(interval: .seconds(1))
    XCTAssertEqual(later.first, .milliseconds(120), "only the recent window counts")
  }
}
