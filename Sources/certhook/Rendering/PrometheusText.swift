import CertHookCore

/// The Prometheus text exposition format (what node-exporter's textfile collector reads).
enum PrometheusText {
  /// Escapes a label value: backslash, double quote and line feed.
  static func escapeLabelValue(_ value: String) -> String { ExpositionFormat.escapeLabel(value) }

  /// Escapes HELP text: backslash and line feed.
  static func escapeHelp(_ value: String) -> String { ExpositionFormat.escapeHelp(value) }

  /// `# HELP` and `# TYPE` lines of one metric family.
  static func header(_ name: String, type: String, help: String) -> String {
    "# HELP \(name) \(escapeHelp(help))\n# TYPE \(name) \(type)\n"
  }

  /// One sample line: `name{a="x",b="y"} value`.
  static func sample(_ name: String, labels: [(String, String)], value: String) -> String {
    if labels.isEmpty { return "\(name) \(value)\n" }
    let rendered = labels.map { "\($0.0)=\"\(escapeLabelValue($0.1))\"" }.joined(separator: ",")
    return "\(name){\(rendered)} \(value)\n"
  }

  /// A sample value: integers without a fraction, others with up to 6 decimals.
  static func value(_ number: Double) -> String { ExpositionFormat.value(number) }
}
