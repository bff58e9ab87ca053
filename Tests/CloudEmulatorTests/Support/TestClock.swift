import Foundation

/// A settable clock for the emulator: tests move time instead of sleeping.
final class TestClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date

  init(_ start: Date) {
    current = start
  }

  /// 2026-03-01T00:00:00Z, the reference time of these tests.
  static let reference = Date(timeIntervalSince1970: 1_772_323_200)

  var now: Date {
    lock.lock()
    defer { lock.unlock() }
    return current
  }

  func advance(_ seconds: TimeInterval) {
    lock.lock()
    current = current.addingTimeInterval(seconds)
    lock.unlock()
  }

  func set(_ date: Date) {
    lock.lock()
    current = date
    lock.unlock()
  }

  var function: @Sendable () -> Date {
    { [self] in self.now }
  }
}
