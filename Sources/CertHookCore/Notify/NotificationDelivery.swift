import Foundation

/// How one notifier's delivery went, for the run's summary and logs. Names the notifier and its host only: a
/// webhook's path and query often carry its token.
public struct NotificationDelivery: Codable, Sendable, Equatable {
  /// The notifier's name.
  public var name: String
  /// Its format.
  public var kind: NotifierSettings.Kind
  /// The host posted to.
  public var host: String
  /// Events carried.
  public var events: Int
  /// Attempts made (0 when it could not be sent at all, e.g. its secret is missing).
  public var attempts: Int
  /// True when the receiver accepted the message.
  public var delivered: Bool
  /// Why it was not delivered (redacted), nil when delivered.
  public var error: String?

  /// Creates a result.
  public init(
    name: String, kind: NotifierSettings.Kind, host: String, events: Int, attempts: Int, delivered: Bool,
    error: String? = nil
  ) {
    self.name = name
    self.kind = kind
    self.host = host
    self.events = events
    self.attempts = attempts
    self.delivered = delivered
    self.error = error
  }

  /// One line for the summary: `notify ops (slack, hooks.slack.com): delivered 2 event(s)`.
  public var summaryLine: String {
    let head = "notify \(name) (\(kind.rawValue), \(host))"
    if delivered { return "\(head): delivered \(events) event(s)" }
    return "\(head): NOT delivered after \(attempts) attempt(s): \(error ?? "unknown error")"
  }
}
