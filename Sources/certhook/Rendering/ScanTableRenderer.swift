import CertificateKit
import Foundation

/// `--format table`: one line per certificate, soonest expiry first, status coloured on a terminal.
enum ScanTableRenderer {
  static func render(_ report: ScanReport, durationSeconds: Double, style: TerminalStyle, to sink: OutputSink) {
    // Sort positions, not entries, and format rows twice (widths, then output) instead of keeping them:
    // the table costs a few bytes per certificate beyond the report itself.
    let entries = report.entries
    let order = entries.indices.sorted { left, right in
      let a = entries[left]
      let b = entries[right]
      if a.certificate.notAfter != b.certificate.notAfter { return a.certificate.notAfter < b.certificate.notAfter }
      return left < right
    }
    let header = ["STATUS", "DAYS", "NOT AFTER", "SUBJECT", "ISSUER", "PATH"]
    var widths = header.map(\.count)
    for entry in entries {
      for (column, cell) in cells(entry).enumerated() { widths[column] = max(widths[column], cell.count) }
    }
    sink.write(line(header, widths: widths, style: style, bold: true) + "\n")
    for position in order {
      let entry = entries[position]
      var row = cells(entry)
      row[0] = style.paint(pad(row[0], widths[0]), colour(entry.status))
      sink.write(line(row, widths: widths, style: style, bold: false, firstPadded: true) + "\n")
    }
    let counts = report.counts
    var parts = ["\(counts.certificates) certificate\(counts.certificates == 1 ? "" : "s")"]
    let details: [(Int, String)] = [
      (counts.ok, "ok"), (counts.warning, "warning"), (counts.critical, "critical"), (counts.expired, "expired"),
      (counts.notYetValid, "not yet valid"),
    ]
    let detailText = details.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    if !detailText.isEmpty { parts[0] += " (\(detailText))" }
    parts.append("\(counts.failures) error\(counts.failures == 1 ? "" : "s")")
    if counts.findings > 0 { parts.append("\(counts.findings) finding\(counts.findings == 1 ? "" : "s")") }
    parts.append("\(report.filesRead) file\(report.filesRead == 1 ? "" : "s") read")
    parts.append(String(format: "%.2f s", durationSeconds))
    let state = ScanStateName.of(report.state)
    sink.write("\n\(style.paint(state, colour(report.state))): " + parts.joined(separator: "; ") + "\n")
    sink.flush()
  }

  private static func cells(_ entry: CertificateReportEntry) -> [String] {
    [
      entry.status.rawValue.uppercased(), String(entry.daysRemaining), dateOnly(entry.certificate.notAfter),
      clip(entry.certificate.subjectCommonName ?? entry.certificate.subject),
      clip(entry.certificate.issuerCommonName ?? entry.certificate.issuer),
      entry.index == 0 ? entry.source : "\(entry.source) #\(entry.index)",
    ]
  }

  private static func line(
    _ cells: [String], widths: [Int], style: TerminalStyle, bold: Bool, firstPadded: Bool = false
  ) -> String {
    var parts: [String] = []
    for (column, cell) in cells.enumerated() {
      let isLast = column == cells.count - 1
      if column == 0 && firstPadded {
        parts.append(cell)
      } else {
        parts.append(isLast ? cell : pad(cell, widths[column]))
      }
    }
    let text = parts.joined(separator: "  ")
    return bold ? style.paint(text, .bold) : text
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  private static func clip(_ text: String) -> String {
    text.count <= 40 ? text : String(text.prefix(39)) + "…"
  }

  private static func dateOnly(_ date: Date) -> String {
    String(RFC3339.format(date).prefix(10))
  }

  static func colour(_ status: ExpiryStatus) -> TerminalStyle.Colour {
    switch status {
    case .ok: return .green
    case .warning: return .yellow
    case .critical, .expired: return .red
    case .notYetValid: return .magenta
    }
  }

  static func colour(_ state: MonitoringState) -> TerminalStyle.Colour {
    switch state {
    case .ok: return .green
    case .warning: return .yellow
    case .critical: return .red
    case .unknown: return .magenta
    }
  }
}
