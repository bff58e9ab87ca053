import CertificateKit
import Foundation

/// RFC 3339 UTC timestamps for the renderers: formatting is CertificateKit's `TimestampText`; parsing is here.
enum RFC3339 {
  /// Formats `date` truncated to whole seconds, in UTC.
  static func format(_ date: Date) -> String {
    TimestampText.rfc3339(date)
  }

  /// Appends the UTF-8 form of `date` to `bytes`.
  static func append(_ date: Date, to bytes: inout [UInt8]) {
    TimestampText.appendRFC3339(date, to: &bytes)
  }

  /// Parses an RFC 3339 timestamp (`Z` or a numeric offset, optional fraction); nil when malformed.
  static func parse(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
  }
}
