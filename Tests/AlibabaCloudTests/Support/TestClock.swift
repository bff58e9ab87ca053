import AlibabaCloud
import Foundation

/// A manual clock whose `sleep` advances time instead of waiting.
final class TestClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date
  private var counter = 0
  private(set) var sleeps: [Duration] = []

  init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
    current = start
  }

  var now: Date { lock.withLock { current } }

  func advance(_ d: Duration) {
    lock.withLock {
      let (s, atto) = d.components
      current = current.addingTimeInterval(Double(s) + Double(atto) / 1e18)
      sleeps.append(d)
    }
  }

  var recordedSleeps: [Duration] { lock.withLock { sleeps } }

  func nextNonce() -> String {
    lock.withLock {
      counter += 1
      return "nonce-\(counter)"
    }
  }

  /// A runtime on this clock: fixed jitter `random`, sleeping only advances the clock.
  func runtime(random: Double = 0.5) -> ClientRuntime {
    ClientRuntime(
      now: { self.now }, nonce: { self.nextNonce() }, random: { random },
      sleep: { d in self.advance(d) })
  }
}
