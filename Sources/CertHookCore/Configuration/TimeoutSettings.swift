import Foundation

/// Time limits, in seconds.
public struct TimeoutSettings: Sendable, Codable, Equatable {
  /// Longest wait for one asynchronous job or for a listener to return to Running (default 300).
  public var job: Double
  /// Longest a whole deploy hook may run (default 110, below lego's 2 minute kill).
  public var hook: Double
  /// Longest a single HTTP request may take (default 30).
  public var request: Double
  /// Creates timeout settings.
  public init(job: Double = 300, hook: Double = 110, request: Double = 30) {
    self.job = job
    self.hook = hook
    self.request = request
  }
}
