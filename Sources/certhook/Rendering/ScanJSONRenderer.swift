import CertificateKit
import Foundation

/// `--format json`: `{"certificates": [...], "errors": [...], "summary": {...}}`, one certificate per line,
/// streamed to the sink (schema in docs/inspect-and-scan.md).
enum ScanJSONRenderer {
  /// Writes a whole report.
  static func render(_ report: ScanReport, durationSeconds: Double, to sink: OutputSink) {
    var stream = Stream(sink: sink)
    for entry in report.entries { stream.add(entry) }
    stream.finish(
      failures: report.failures, tally: report.tally, filesRead: report.filesRead, now: report.now,
      policy: report.policy, durationSeconds: durationSeconds)
  }

  /// Writes certificates as they come (`scan` streams them), then errors and the summary at the end.
  struct Stream {
    let sink: OutputSink
    private var written = 0

    init(sink: OutputSink) {
      self.sink = sink
      sink.write("{\"certificates\":[")
    }

    mutating func add(_ entry: CertificateReportEntry) {
      let first = written == 0
      sink.withBuffer { bytes in
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(0x0A)
        ScanJSONRenderer.appendEntry(entry, to: &bytes)
      }
      written += 1
    }

    func finish(
      failures: [ScanFailure], tally: ScanTally, filesRead: Int, now: Date, policy: CheckPolicy, durationSeconds: Double
    ) {
      sink.write("\n],\"errors\":[")
      for (offset, failure) in failures.enumerated() {
        sink.withBuffer { bytes in
          if offset > 0 { bytes.append(UInt8(ascii: ",")) }
          bytes.append(0x0A)
          JSONText.object(into: &bytes) { members in
            members.string("path", failure.path)
            members.string("message", failure.message)
          }
        }
      }
      sink.write("\n],\"summary\":")
      sink.withBuffer {
        ScanJSONRenderer.appendSummary(
          tally: tally, filesRead: filesRead, now: now, policy: policy, durationSeconds: durationSeconds, to: &$0)
      }
      sink.write("}\n")
      sink.flush()
    }
  }

  /// One certificate object: its members, then `findings` (malformed extensions, DNS names that are not host
  /// names; `[]` for a well-formed certificate).
  static func appendEntry(_ entry: CertificateReportEntry, to bytes: inout [UInt8]) {
    JSONText.object(into: &bytes) { members in
      appendEntryMembers(entry, to: &members)
      members.raw("findings") { bytes in
        bytes.append(UInt8(ascii: "["))
        for (offset, finding) in entry.findings.enumerated() {
          if offset > 0 { bytes.append(UInt8(ascii: ",")) }
          JSONText.object(into: &bytes) { members in
            members.string("code", finding.code.rawValue)
            members.string("severity", finding.severity.rawValue)
            members.string("message", finding.message)
          }
        }
        bytes.append(UInt8(ascii: "]"))
      }
    }
  }

  /// A certificate entry's members: path, index, the certificate's fields, daysRemaining, status (also the first
  /// members of each certificate in `inspect --json`).
  static func appendEntryMembers(_ entry: CertificateReportEntry, to members: inout JSONMembers) {
    let certificate = entry.certificate
    members.string("path", entry.source)
    members.int("index", entry.index)
    members.string("subject", certificate.subject)
    members.string("subjectCN", certificate.subjectCommonName)
    members.string("issuer", certificate.issuer)
    members.string("issuerCN", certificate.issuerCommonName)
    members.string("serialNumber", certificate.serialNumber)
    members.date("notBefore", certificate.notBefore)
    members.date("notAfter", certificate.notAfter)
    members.strings("dnsNames", certificate.dnsNames)
    members.strings("ipAddresses", certificate.ipAddresses)
    members.strings("extendedKeyUsages", certificate.extendedKeyUsages)
    members.bool("serverAuth", certificate.serverAuth)
    members.bool("isCA", certificate.isCA)
    members.string("keyType", certificate.keyType)
    members.int("keyBits", certificate.keyBits)
    members.string("sha1", certificate.sha1)
    members.string("sha256", certificate.sha256)
    members.int("daysRemaining", entry.daysRemaining)
    members.string("status", entry.status.rawValue)
  }

  static func appendSummary(
    tally: ScanTally, filesRead: Int, now: Date, policy: CheckPolicy, durationSeconds: Double, to bytes: inout [UInt8]
  ) {
    let counts = tally.counts
    JSONText.object(into: &bytes) { members in
      members.int("certificates", counts.certificates)
      members.int("ok", counts.ok)
      members.int("warning", counts.warning)
      members.int("critical", counts.critical)
      members.int("expired", counts.expired)
      members.int("notYetValid", counts.notYetValid)
      members.int("errors", counts.failures)
      members.int("findings", counts.findings)
      members.int("filesRead", filesRead)
      members.int("warningDays", policy.warningDays)
      members.int("criticalDays", policy.criticalDays)
      members.int("exitCode", tally.state.rawValue)
      members.string("state", ScanStateName.of(tally.state))
      members.date("now", now)
      members.raw("durationSeconds") { $0.append(contentsOf: PrometheusText.value(durationSeconds).utf8) }
    }
  }
}
