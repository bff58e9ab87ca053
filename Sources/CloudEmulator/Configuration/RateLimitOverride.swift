import Foundation

/// A rate limit of `count` requests per `period`, written `N/Ts` (for example `5/1s` or `200/60s`).
public struct RateLimitOverride: Sendable, Equatable, Codable {
  /// Requests allowed per period.
  public var count: Int
  /// The window length.
  public var period: Duration

  /// Creates a limit of `count` requests per `period`.
  public init(count: Int, period: Duration) {
    self.count = count
    self.period = period
  }

  /// Parses `N/Ts`, `N/Tms` or `N/T` (seconds), e.g. `10/1s`.
  public static func parse(_ text: String) throws -> RateLimitOverride {
    let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let count = Int(parts[0]), count > 0 else {
      throw EmulatorError("rate limit '\(text)': expected N/Ts with N > 0, e.g. 10/1s")
    }
    var unit = String(parts[1])
    var scale: Double = 1
    if unit.hasSuffix("ms") {
      unit.removeLast(2)
      scale = 0.001
    } else if unit.hasSuffix("s") {
      unit.removeLast()
    }
    guard let amount = Double(unit), amount > 0 else {
      throw EmulatorError("rate limit '\(text)': the period must be a positive number of seconds, e.g. 10/1s")
    }
    return RateLimitOverride(count: count, period: .milliseconds(Int64((amount * scale * 1000).rounded())))
  }
}
