import Foundation

/// How hard certhook drives the API.
public struct RateLimitSettings: Sendable, Codable, Equatable {
  /// Listeners changed at the same time (default 32).
  public var concurrency: Int
  /// Mutating calls per second (nil = the client's published defaults, adapting to throttling).
  public var writesPerSecond: Double?
  /// Creates rate-limit settings.
  public init(concurrency: Int = 32, writesPerSecond: Double? = nil) {
    self.concurrency = concurrency
    self.writesPerSecond = writesPerSecond
  }
}
