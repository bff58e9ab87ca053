import Foundation

/// Helpers for the loosely typed CAS fields.
enum CASFields {
  /// Splits a comma-separated SAN list; empty or blank input gives `[]`.
  static func splitSans(_ text: String?) -> [String] {
    guard let text else { return [] }
    return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  /// Parses `YYYY-MM-DD` (UTC midnight) or a full ISO 8601 timestamp.
  static func parseDay(_ text: String?) -> Date? {
    guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
    // A day is the common case (every row of a CAS listing): no timestamp parse tried and failed first.
    if text.utf8.count == 10, !text.contains("T") {
      let parts = text.split(separator: "-").compactMap { Int($0) }
      guard parts.count == 3 else { return nil }
      return utc.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
    return AcsTimestamp.parse(text)
  }

  /// The Gregorian calendar in UTC, made once (making one per parsed date cost more than the listing's JSON).
  private static let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
    return calendar
  }()

  /// A date from milliseconds since the epoch (number or string).
  static func millis(_ value: JSONValue?) -> Date? {
    guard let ms = value?.int, ms > 0 else { return nil }
    return Date(timeIntervalSince1970: Double(ms) / 1000)
  }

  static func nonEmpty(_ value: JSONValue?) -> String? {
    value?.string.flatMap { $0.isEmpty ? nil : $0 }
  }
}
