import Foundation

/// `notify:`: the notifiers and the bounds of delivery. Delivery never changes a command's outcome: each attempt
/// ends at `timeout`, a notifier is tried `retries + 1` times at most, and all notifiers are tried at once.
public struct NotifySettings: Sendable, Codable, Equatable {
  /// Allowed per-attempt timeouts, in seconds.
  public static let timeoutRange: ClosedRange<Double> = 0.1...60
  /// Allowed retry counts.
  public static let retriesRange: ClosedRange<Int> = 0...5

  /// The notifiers (none: nothing is sent).
  public var notifiers: [NotifierSettings]
  /// Longest time for one attempt, in seconds (default 10).
  public var timeout: Double
  /// Retries after a failed attempt (default 2).
  public var retries: Int

  /// Creates settings.
  public init(notifiers: [NotifierSettings] = [], timeout: Double = 10, retries: Int = 2) {
    self.notifiers = notifiers
    self.timeout = timeout
    self.retries = retries
  }
}
