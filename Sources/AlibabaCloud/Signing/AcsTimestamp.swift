import Foundation

/// UTC timestamps in the `yyyy-MM-ddTHH:mm:ssZ` form both signature versions use.
public enum AcsTimestamp {
  /// Formats `date` as `yyyy-MM-ddTHH:mm:ssZ` in UTC.
  public static func iso8601(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    func pad(_ v: Int?, _ width: Int) -> String {
      let s = String(v ?? 0)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))Z"
  }

  /// Parses `yyyy-MM-ddTHH:mm:ssZ` (optionally with fractional seconds); nil when malformed.
  public static func parse(_ text: String) -> Date? {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    if let d = f.date(from: text) { return d }
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f.date(from: text)
  }
}
