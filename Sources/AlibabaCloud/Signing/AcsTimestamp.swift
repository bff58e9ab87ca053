import Foundation

/// UTC timestamps in the `yyyy-MM-ddTHH:mm:ssZ` form both signature versions use.
public enum AcsTimestamp {
  /// Formats `date` as `yyyy-MM-ddTHH:mm:ssZ` in UTC (fractions of a second are cut, not rounded).
  public static func iso8601(_ date: Date) -> String {
    wholeSeconds.format(date)
  }

  private static let wholeSeconds = Date.ISO8601FormatStyle(timeZone: .gmt)

  /// Parses `yyyy-MM-ddTHH:mm:ssZ` (optionally with fractional seconds); nil when malformed.
  public static func parse(_ text: String) -> Date? {
    (try? wholeSeconds.parse(text)) ?? (try? fractionalSeconds.parse(text))
  }

  private static let fractionalSeconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
}
