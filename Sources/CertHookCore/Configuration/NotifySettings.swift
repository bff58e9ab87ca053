import Foundation

/// `notify:`: the notifiers and the bounds of delivery. Delivery never changes a command's outcome: each attempt
/// ends at `timeout`, a notifier is tried `retries + 1` times at most, and all notifiers are tried at once.
public struct NotifySettings: Sendable, Codable, Equatable {
  /// Allowed per-attempt timeouts, in seconds.
  public static let timeoutRange: ClosedRange<Double> = 0.1...60
  /// Allowed retry counts.
  public static let retriesRange: ClosedRange<Int> = 0...5

  /// The notifiers (none: nothing is sent).
  public var notifiers: [NotifierSettings]
  /// Longest time for one attempt, in seconds (default 10).
  public var timeout: Double
  /// Retries after a failed attempt (default 2).
  public var retries: Int

  /// Creates settings.
  public init(notifiers: [NotifierSettings] = [], timeout: Double = 10, retries: Int = 2) {
    self.notifiers = notifiers
    self.timeout = timeout
    self.retries = retries
  }
}

extension NotifySettings {
  /// Decodes `notify:`: a list of notifiers, or a mapping with `notifiers:` (or `targets:`), `timeout:` and
  /// `retries:`. Errors name the key path (`notify.notifiers[1].url`).
  public init(from decoder: any Decoder) throws {
    self.init()
    var list = decoder
    var listPath = ConfigurationDecoder.path(decoder.codingPath)
    if (try? decoder.unkeyedContainer()) == nil {
      let fields = try ConfigurationFields(decoder, known: ["notifiers", "targets", "timeout", "retries"])
      timeout = try fields.inRange(fields.seconds("timeout"), Self.timeoutRange, "timeout", unit: " s") ?? timeout
      retries = try fields.inRange(fields.int("retries"), Self.retriesRange, "retries") ?? retries
      let key = fields.has("notifiers") ? "notifiers" : "targets"
      guard let value = try fields.value(key) else { return }
      (list, listPath) = (value, fields.at(key))
    }
    notifiers = try ConfigurationDecoder.uniquelyNamed(
      list, path: listPath, notList: "must be a list of notifiers\(ConfigurationFields.line(list))", name: \.name,
      duplicate: { "duplicate notifier name \"\($0)\"; give each a name" }, NotifierSettings.init(from:))
  }
}
