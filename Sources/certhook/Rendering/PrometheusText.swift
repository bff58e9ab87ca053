/// The Prometheus text exposition format (what node-exporter's textfile collector reads).
enum PrometheusText {
  /// Escapes a label value: backslash, double quote and line feed.
  static func escapeLabelValue(_ value: String) -> String {
    guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
    var result = ""
    result.reserveCapacity(value.utf8.count + 8)
    for character in value.unicodeScalars {
      switch character {
      case "\\": result += "\\\\"
      case "\"": result += "\\\""
      case "\n": result += "\\n"
      default: result.unicodeScalars.append(character)
      }
    }
    return result
  }

  /// Escapes HELP text: backslash and line feed.
  static func escapeHelp(_ value: String) -> String {
    value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
  }

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
  static func value(_ number: Double) -> String {
    if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
    var text = String(format: "%.6f", number)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
