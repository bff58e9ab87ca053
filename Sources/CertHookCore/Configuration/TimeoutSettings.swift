import Foundation

/// Time limits, in seconds, each inside its documented range (a value outside is a configuration error).
public struct TimeoutSettings: Sendable, Codable, Equatable {
  /// Accepted `job` values: 10 ms to one day.
  public static let jobRange: ClosedRange<Double> = 0.01...86_400
  /// Accepted `hook` values (and `deploy-hook --timeout`): 10 ms to one day.
  public static let hookRange: ClosedRange<Double> = 0.01...86_400
  /// Accepted `request` values, 10 ms to one hour: the range `SessionTuning` clamps to (a test checks they agree).
  public static let requestRange: ClosedRange<Double> = 0.01...3600

  /// Longest wait for one asynchronous job or for a listener to return to Running (default 300).
  public var job: Double
  /// Longest a whole deploy hook may run (default 110, below lego's 2 minute kill).
  public var hook: Double
  /// Longest a single HTTP request may take (default 30).
  public var request: Double
  /// Creates timeout settings.
  public init(job: Double = 300, hook: Double = 110, request: Double = 30) {
    self.job = job
    self.hook = hook
    self.request = request
  }
}

extension TimeoutSettings {
  /// Decodes `timeouts:` (`job`, `hook`, `request`: durations inside their ranges).
  public init(from decoder: any Decoder) throws {
    let fields = try ConfigurationFields(decoder, known: ["job", "hook", "request"])
    self.init()
    job = try fields.inRange(fields.seconds("job"), Self.jobRange, "job", unit: " s") ?? job
    hook = try fields.inRange(fields.seconds("hook"), Self.hookRange, "hook", unit: " s") ?? hook
    request = try fields.inRange(fields.seconds("request"), Self.requestRange, "request", unit: " s") ?? request
  }
}
