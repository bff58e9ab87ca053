import Foundation

/// RFC 3339 UTC timestamps (`2027-01-02T03:04:05Z`) for any year.
public enum TimestampText {
  /// Formats `date` in UTC with whole seconds.
  public static func rfc3339(_ date: Date) -> String {
    let text = GeneralizedTimeText.format(date)
    let characters = Array(text)
    let year = String(characters[0..<(characters.count - 11)])
    let rest = Array(characters.suffix(11))
    return "\(year)-\(String(rest[0..<2]))-\(String(rest[2..<4]))T\(String(rest[4..<6])):\(String(rest[6..<8])):"
      + "\(String(rest[8..<10]))Z"
  }
}
