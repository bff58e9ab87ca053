import Foundation

/// Date formats the emulator writes: RFC 3339 with milliseconds, CAS day dates, epoch ms.
enum TimeFormats {
  static func rfc3339Milliseconds(_ date: Date) -> String {
    let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
    let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
    let fraction = ms - seconds * 1000
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
    let c = calendar.dateComponents(
      [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
      c.second ?? 0, Int(fraction))
  }

  static func parseRFC3339(_ text: String) -> Date? {
    if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text) {
      return quantized(d)
    }
    return (try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text)).map(quantized)
  }

  /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, whole seconds: STS `Expiration` (the only form the credentials SDK parses).
  static func wholeSeconds(_ date: Date) -> String {
    String(rfc3339Milliseconds(date).prefix(19)) + "Z"
  }

  /// `YYYY-MM-DD` in UTC, as CAS shows StartDate/EndDate.
  static func day(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
    let c = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
  }

  /// `date` rounded to whole milliseconds, so times survive JSON round trips exactly.
  static func quantized(_ date: Date) -> Date {
    Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
  }

  static func epochMilliseconds(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
  }

  static func seconds(_ d: Duration) -> TimeInterval {
    let c = d.components
    return TimeInterval(c.seconds) + TimeInterval(c.attoseconds) / 1e18
  }
}
