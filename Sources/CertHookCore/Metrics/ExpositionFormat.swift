import Foundation

/// Writes and reads the Prometheus text exposition format (what node-exporter's textfile collector reads):
/// `# HELP`/`# TYPE` once per family before its samples, label values escaping `\`, `"` and line feeds.
/// The reader is strict: every line must be a comment, blank, or a valid sample, else it throws naming the line.
public enum ExpositionFormat {
  /// A metric family: name, type and help text.
  public struct Family: Sendable, Equatable {
    /// The metric name.
    public var name: String
    /// `gauge` or `counter`.
    public var type: String
    /// One line of help.
    public var help: String
  }

  /// What a file held: the families declared (in order) and every sample.
  public struct Document: Sendable, Equatable {
    /// Families from `# TYPE` lines (help from `# HELP`).
    public var families: [Family]
    /// Every sample in file order.
    public var samples: [MetricSample]
  }

  /// A line that is not valid exposition format.
  public struct SyntaxError: Error, CustomStringConvertible {
    /// Line number (1-based) and reason.
    public let description: String
  }

  /// Renders families in the given order, each with its samples.
  public static func render(_ families: [(Family, [MetricSample])]) -> String {
    var out = ""
    for (family, samples) in families where !samples.isEmpty {
      out += "# HELP \(family.name) \(escapeHelp(family.help))\n# TYPE \(family.name) \(family.type)\n"
      for sample in samples {
        let labels = sample.labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",")
        out += sample.name + (labels.isEmpty ? "" : "{\(labels)}") + " " + value(sample.value) + "\n"
      }
    }
    return out
  }

  /// Parses `text`; throws on the first invalid line or a family declared twice.
  public static func parse(_ text: String) throws -> Document {
    var families: [Family] = []
    var helps: [String: String] = [:]
    var samples: [MetricSample] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = String(raw)
      let number = index + 1
      if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
      if line.hasPrefix("# HELP ") {
        let rest = line.dropFirst(7)
        let name = String(rest.prefix { $0 != " " })
        guard isMetricName(name), helps[name] == nil else {
          throw SyntaxError(description: "line \(number): bad or repeated HELP for \(name)")
        }
        helps[name] = String(rest.dropFirst(name.count + 1))
        continue
      }
      if line.hasPrefix("# TYPE ") {
        let parts = line.dropFirst(7).split(separator: " ")
        guard parts.count == 2, isMetricName(String(parts[0])),
          ["gauge", "counter", "untyped", "summary", "histogram"].contains(String(parts[1])),
          !families.contains(where: { $0.name == parts[0] })
        else { throw SyntaxError(description: "line \(number): bad or repeated TYPE line") }
        families.append(Family(name: String(parts[0]), type: String(parts[1]), help: helps[String(parts[0])] ?? ""))
        continue
      }
      if line.hasPrefix("#") { continue }
      samples.append(try sample(line, number: number))
    }
    for index in families.indices { families[index].help = helps[families[index].name] ?? "" }
    return Document(families: families, samples: samples)
  }

  static func sample(_ line: String, number: Int) throws -> MetricSample {
    let chars = Array(line)
    var i = 0
    while i < chars.count, chars[i] != "{", chars[i] != " " { i += 1 }
    let name = String(chars[0..<i])
    guard isMetricName(name) else { throw SyntaxError(description: "line \(number): bad metric name") }
    var labels: [(String, String)] = []
    if i < chars.count, chars[i] == "{" {
      i += 1
      while i < chars.count, chars[i] != "}" {
        var key = ""
        while i < chars.count, chars[i] != "=" { key.append(chars[i]); i += 1 }
        guard isLabelName(key), i + 1 < chars.count, chars[i + 1] == "\"" else {
          throw SyntaxError(description: "line \(number): bad label")
        }
        i += 2
        var value = ""
        var closed = false
        while i < chars.count {
          let c = chars[i]
          if c == "\\" {
            guard i + 1 < chars.count else { break }
            switch chars[i + 1] {
            case "\\": value.append("\\")
            case "\"": value.append("\"")
            case "n": value.append("\n")
            default: throw SyntaxError(description: "line \(number): bad escape in a label value")
            }
            i += 2
            continue
          }
          if c == "\"" { closed = true; i += 1; break }
          value.append(c)
          i += 1
        }
        guard closed else { throw SyntaxError(description: "line \(number): unterminated label value") }
        labels.append((key, value))
        if i < chars.count, chars[i] == "," { i += 1 }
      }
      guard i < chars.count else { throw SyntaxError(description: "line \(number): unterminated labels") }
      i += 1
    }
    guard i < chars.count, chars[i] == " " else { throw SyntaxError(description: "line \(number): no value") }
    let rest = String(chars[(i + 1)...]).split(separator: " ")
    guard (1...2).contains(rest.count), let value = Double(rest[0]) else {
      throw SyntaxError(description: "line \(number): bad value")
    }
    return MetricSample(name: name, labels: labels, value: value)
  }

  static func isMetricName(_ s: String) -> Bool {
    guard let first = s.first, first.isASCII, first.isLetter || first == "_" || first == ":" else { return false }
    return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
  }

  static func isLabelName(_ s: String) -> Bool {
    guard let first = s.first, first.isASCII, first.isLetter || first == "_" else { return false }
    return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
  }

  /// Escapes a label value: backslash, double quote and line feed.
  public static func escapeLabel(_ value: String) -> String {
    guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
    return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n")
  }

  /// Escapes HELP text: backslash and line feed.
  public static func escapeHelp(_ value: String) -> String {
    value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
  }

  /// A sample value: integers without a fraction, others with up to 6 decimals.
  public static func value(_ number: Double) -> String {
    if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
    var text = String(format: "%.6f", number)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
