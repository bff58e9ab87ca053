import ArgumentParser
import CertificateKit
import Foundation

/// The day windows and output format of the commands that report expiry as a table, JSON or Prometheus text
/// (`scan`, `audit`): one definition, so both spell and check them alike.
struct ExpiryReportOptions: ParsableArguments {
  @Option(name: .customLong("warn-days"), help: "Warn when a certificate expires within this many days.")
  var warnDays = 30

  @Option(name: .customLong("critical-days"), help: "Critical when a certificate expires within this many days.")
  var criticalDays = 7

  @Option(name: .customLong("format"), help: "Output format: table, json or prometheus (node-exporter textfile).")
  var formatOption: ScanFormat?

  @Flag(help: "Print JSON (the same as --format json).")
  var json = false

  /// The format chosen by `--format` or `--json` (default table).
  var format: ScanFormat { json ? .json : formatOption ?? .table }

  /// The windows as a check policy.
  var policy: CheckPolicy { CheckPolicy(warningDays: warnDays, criticalDays: criticalDays) }

  /// `--format` against `--json`, the windows, and the hidden `--now` where the command has one.
  func check(now: String?) throws {
    try ScanFormat.check(json: json, format: formatOption)
    try ExpiryWindowOptions.check(warnDays: warnDays, criticalDays: criticalDays, now: now)
  }
}
