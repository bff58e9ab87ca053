import Foundation

/// How hard certhook drives the API, each setting inside its documented range.
public struct RateLimitSettings: Sendable, Codable, Equatable {
  /// Accepted `concurrency` values.
  public static let concurrencyRange: ClosedRange<Int> = 1...1000
  /// Accepted `writesPerSecond` values, 0.01 to 1,000: the range `SessionTuning` clamps to (a test checks they
  /// agree; the configuration slice imports only Foundation and Yams, so the fuzzer can build it alone).
  public static let writesPerSecondRange: ClosedRange<Double> = 0.01...1000

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
