import ArgumentParser
import CertificateKit
import Foundation

/// `certhook scan`: find certificates in files and directory trees and report their expiry.
struct ScanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scan",
    abstract: "Find certificates in files and directories and report their expiry.",
    discussion: """
      Walks directories recursively; every certificate of a bundle is reported on its own. Files holding \
      only keys, CSRs or non-certificate data are skipped unless named explicitly. A certbot directory \
      (live/ + archive/) is reported through live/, each certificate once. Symbolic links to files are \
      read (each target once); links to directories are entered only with --follow-symlinks.

      Exit status (monitoring convention): 0 all fine; 1 a certificate inside the warning window, or \
      read errors; 2 a certificate expired, not yet valid or inside the critical window; 3 nothing \
      could be scanned; 64 usage error.
      """
  )

  @Argument(help: "Certificate files or directories to scan.")
  var paths: [String]

  @OptionGroup var report: ExpiryReportOptions

  /// The format chosen by `--format` or `--json` (default table).
  var format: ScanFormat { report.format }
  /// True with `--json` or `--format json`.
  var json: Bool { report.json }

  @Flag(name: .customLong("follow-symlinks"), help: "Also enter symbolic links to directories.")
  var followSymlinks = false

  @Option(name: .customLong("include"), help: "Only read walked files matching this glob (repeatable).")
  var include: [String] = []

  @Option(name: .customLong("now"), help: .hidden)
  var nowText: String?

  @Option(name: .customLong("workers"), help: .hidden)
  var workers = 0

  func validate() throws {
    try report.check(now: nowText)
    guard workers >= 0 else { throw ValidationError("--workers must be 0 (all cores) or more") }
  }

  func run() throws {
    let now = nowText.flatMap(RFC3339.parse) ?? Date()
    let policy = report.policy
    let scanner = CertificateScanner(
      walker: ScanWalker(followSymbolicLinks: followSymlinks, includeGlobs: include), workers: workers)
    let clock = ContinuousClock()
    let start = clock.now
    let output = OutputSink(descriptor: 1)
    let state: MonitoringState
    if format == .json {
      // Streamed: certificates are written while the workers parse the next files.
      var stream = ScanJSONRenderer.Stream(sink: output)
      var tally = ScanTally()
      var failures: [ScanFailure] = []
      let filesRead = scanner.stream(paths, now: now, policy: policy) { event in
        switch event {
        case .certificates(let entries):
          for entry in entries {
            tally.add(entry)
            stream.add(entry)
          }
        case .failure(let failure):
          tally.add(failure)
          failures.append(failure)
        }
      }
      stream.finish(
        failures: failures, tally: tally, filesRead: filesRead, now: now, policy: policy,
        durationSeconds: seconds(since: start, clock: clock))
      state = tally.state
    } else {
      let report = scanner.scan(paths, now: now, policy: policy)
      let duration = seconds(since: start, clock: clock)
      if format == .prometheus {
        ScanPrometheusRenderer.render(report, durationSeconds: duration, to: output)
      } else {
        let environment = ProcessInfo.processInfo.environment
        let style = TerminalStyle(isTerminal: isatty(1) == 1, environment: environment)
        ScanTableRenderer.render(report, durationSeconds: duration, style: style, to: output)
        let errors = OutputSink(descriptor: 2)
        let errorStyle = TerminalStyle(isTerminal: isatty(2) == 1, environment: environment)
        for entry in report.entries {
          for finding in entry.findings {
            let tag =
              finding.severity == .info ? errorStyle.paint("note", .green) : errorStyle.paint("warning", .yellow)
            let place = entry.index == 0 ? entry.source : "\(entry.source) #\(entry.index)"
            errors.write("\(tag): \(place): \(finding.code.rawValue): \(finding.message)\n")
          }
        }
        for failure in report.failures {
          errors.write("\(errorStyle.paint("error", .red)): \(failure.path): \(failure.message)\n")
        }
        errors.flush()
      }
      state = report.state
    }
    if state != .ok { throw ExitCode(Int32(state.rawValue)) }
  }

  private func seconds(since start: ContinuousClock.Instant, clock: ContinuousClock) -> Double {
    let elapsed = start.duration(to: clock.now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }
}
