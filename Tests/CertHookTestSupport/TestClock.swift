import AlibabaCloud
import Foundation
import NIOConcurrencyHelpers

/// The one test clock: tests move time instead of sleeping. It starts where the caller says (each test target
/// keeps its own reference time); a clock made with `followingRealTime` also moves with the wall clock from that
/// start (for tests whose emulator jobs need real time to pass).
public final class TestClock: Sendable {
  private struct State {
    var current: Date
    var counter = 0
    var sleeps: [Duration] = []
  }

  private let state: NIOLockedValueBox<State>
  private let origin: Date?

  /// A clock at `start`; with `followingRealTime` it advances with real time as well as by `advance`.
  public init(_ start: Date, followingRealTime: Bool = false) {
    state = NIOLockedValueBox(State(current: start))
    origin = followingRealTime ? Date() : nil
  }

  /// 2026-03-01T00:00:00Z, the reference time of the emulator tests.
  public static let reference = Date(timeIntervalSince1970: 1_772_323_200)

  /// The current test time.
  public var now: Date {
    let current = state.withLockedValue { $0.current }
    guard let origin else { return current }
    return current.addingTimeInterval(Date().timeIntervalSince(origin))
  }

  /// Moves the clock forward by `seconds`.
  public func advance(_ seconds: TimeInterval) {
    state.withLockedValue { $0.current = $0.current.addingTimeInterval(seconds) }
  }

  /// Moves the clock forward by `d` and records it as a sleep (what a client runtime on this clock slept).
  public func advance(_ d: Duration) {
    state.withLockedValue {
      let (s, atto) = d.components
      $0.current = $0.current.addingTimeInterval(Double(s) + Double(atto) / 1e18)
      $0.sleeps.append(d)
    }
  }

  /// Sets the clock to `date`.
  public func set(_ date: Date) {
    state.withLockedValue { $0.current = date }
  }

  /// The clock as a function, for `EmulatorConfiguration.clock`.
  public var function: @Sendable () -> Date {
    { [self] in self.now }
  }

  /// Every `advance(Duration)` so far, in order.
  public var recordedSleeps: [Duration] { state.withLockedValue { $0.sleeps } }

  /// `nonce-1`, `nonce-2`, ...
  public func nextNonce() -> String {
    state.withLockedValue {
      $0.counter += 1
      return "nonce-\($0.counter)"
    }
  }

  /// A runtime on this clock: fixed jitter `random`, sleeping only advances the clock.
  public func runtime(random: Double = 0.5) -> ClientRuntime {
    ClientRuntime(
      now: { self.now }, nonce: { self.nextNonce() }, random: { random },
      sleep: { d in self.advance(d) })
  }
}
