import Foundation

/// Date formats the emulator writes: RFC 3339 with milliseconds, CAS day dates, epoch ms.
enum TimeFormats {
  static func rfc3339Milliseconds(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
  }

  static func parseRFC3339(_ text: String) -> Date? {
    if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text) { return d }
    return try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text)
  }

  /// `YYYY-MM-DD` in UTC, as CAS shows StartDate/EndDate.
  static func day(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
    let c = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
  }

  static func epochMilliseconds(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
  }

  static func seconds(_ d: Duration) -> TimeInterval {
    let c = d.components
    return TimeInterval(c.seconds) + TimeInterval(c.attoseconds) / 1e18
  }
}
