import Foundation

/// One sample of the Prometheus text exposition format: a metric name, its labels in order, and a value.
public struct MetricSample: Sendable, Equatable {
  /// The metric name (`certhook_listeners`).
  public var name: String
  /// Label pairs in order.
  public var labels: [(String, String)]
  /// The value.
  public var value: Double

  /// Creates a sample.
  public init(name: String, labels: [(String, String)], value: Double) {
    self.name = name
    self.labels = labels
    self.value = value
  }

  /// The value of label `key`, or nil.
  public func label(_ key: String) -> String? { labels.first { $0.0 == key }?.1 }

  /// A key identifying the series (name and labels).
  var seriesKey: String { name + "{" + labels.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{1}") + "}" }

  /// Equal when name, labels (in order) and value are.
  public static func == (lhs: MetricSample, rhs: MetricSample) -> Bool {
    lhs.name == rhs.name && lhs.value == rhs.value && lhs.labels.map(\.0) == rhs.labels.map(\.0)
      && lhs.labels.map(\.1) == rhs.labels.map(\.1)
  }
}
