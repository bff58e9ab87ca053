import Foundation

/// RFC 3339 UTC timestamps (`2027-01-02T03:04:05Z`) for any year, without Foundation formatters (fast enough for
/// the scan's hot path, which appends two per certificate).
public enum TimestampText {
  /// Formats `date` in UTC, truncated to whole seconds.
  public static func rfc3339(_ date: Date) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(20)
    appendRFC3339(date, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the UTF-8 form of `rfc3339(date)` to `bytes`.
  public static func appendRFC3339(_ date: Date, to bytes: inout [UInt8]) {
    let seconds = Int(date.timeIntervalSince1970.rounded(.down))
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = seconds - days * 86_400
    let (year, month, day) = CivilCalendar.civilFromDays(days)
    if year < 0 { bytes.append(UInt8(ascii: "-")) }
    appendPadded(abs(year), width: 4, to: &bytes)
    bytes.append(UInt8(ascii: "-"))
    appendPadded(month, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: "-"))
    appendPadded(day, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: "T"))
    appendPadded(secondOfDay / 3600, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    appendPadded(secondOfDay / 60 % 60, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    appendPadded(secondOfDay % 60, width: 2, to: &bytes)
    bytes.append(UInt8(ascii: "Z"))
  }

  private static func appendPadded(_ value: Int, width: Int, to bytes: inout [UInt8]) {
    var digits: [UInt8] = []
    var rest = value
    repeat {
      digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
      rest /= 10
    } while rest > 0
    for _ in digits.count..<max(width, digits.count) { bytes.append(UInt8(ascii: "0")) }
    bytes.append(contentsOf: digits.reversed())
  }
}
