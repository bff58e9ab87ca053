import Foundation

/// Date formats the emulator writes: RFC 3339 with milliseconds, CAS day dates, epoch ms.
enum TimeFormats {
  private static let withMilliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
  private static let wholeSecondsStyle = Date.ISO8601FormatStyle(timeZone: .gmt)

  /// `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, `date` rounded to the nearest millisecond.
  static func rfc3339Milliseconds(_ date: Date) -> String {
    withMilliseconds.format(nearestMillisecond(date))
  }

  /// `date` rounded to the nearest millisecond, plus half a millisecond: the format style cuts (never rounds) the
  /// fraction, and a whole millisecond as a binary fraction can sit just below itself (`.156` is `.15599...`).
  private static func nearestMillisecond(_ date: Date) -> Date {
    Date(timeIntervalSince1970: ((date.timeIntervalSince1970 * 1000).rounded() + 0.5) / 1000)
  }

  /// RFC 3339 in UTC, with or without a fraction of a second. The style is chosen by the text (a fraction has a
  /// `.`), so a date without one is parsed once, not after a failed attempt: every signed request's date is parsed.
  static func parseRFC3339(_ text: String) -> Date? {
    let style = text.utf8.contains(UInt8(ascii: ".")) ? withMilliseconds : wholeSecondsStyle
    return (try? style.parse(text)).map(quantized)
  }

  /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, whole seconds: STS `Expiration` (the only form the credentials SDK parses).
  static func wholeSeconds(_ date: Date) -> String {
    wholeSecondsStyle.format(nearestMillisecond(date))
  }

  /// `YYYY-MM-DD` in UTC, as CAS shows StartDate/EndDate.
  static func day(_ date: Date) -> String {
    wholeSecondsStyle.year().month().day().format(date)
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
