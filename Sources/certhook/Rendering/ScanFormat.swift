import ArgumentParser

/// Output formats of `certhook scan`.
enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, prometheus
}

extension ScanFormat {
  /// `--json` is `--format json`: refuses the two flags naming different formats.
  static func check(json: Bool, format: ScanFormat?) throws {
    if json, let format, format != .json {
      throw ValidationError("--json contradicts --format \(format.rawValue); give one of them")
    }
  }
}
