import ArgumentParser

/// `--json` and `--format table|json`: every command that prints a text or a JSON result takes both spellings,
/// and they mean the same thing (`--json` is `--format json`).
struct OutputOptions: ParsableArguments {
  /// The two human or machine formats.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    /// Human text (tables and plans); `text` is accepted as its alias.
    case table
    /// One JSON document on stdout.
    case json
    /// The alias of `table`.
    case text
  }

  @Flag(help: "Print JSON instead of text (the same as --format json).")
  var json = false

  @Option(help: "Output format: table (human text, alias text) or json (the same as --json).")
  var format: Format?

  func validate() throws {
    if json, let format, format != .json {
      throw ValidationError("--json contradicts --format \(format.rawValue); give one of them")
    }
  }

  /// True when the result is printed as JSON.
  var isJSON: Bool { json || format == .json }
}
