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
          bytes.append(UInt8(ascii: "{"))
          JSONText.appendKey("path", to: &bytes)
          JSONText.appendString(failure.path, to: &bytes)
          bytes.append(UInt8(ascii: ","))
          JSONText.appendKey("message", to: &bytes)
          JSONText.appendString(failure.message, to: &bytes)
          bytes.append(UInt8(ascii: "}"))
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

  /// One certificate object (also used by `inspect --json` for its certificate list).
  static func appendEntry(_ entry: CertificateReportEntry, to bytes: inout [UInt8]) {
    let certificate = entry.certificate
    bytes.append(UInt8(ascii: "{"))
    JSONText.appendKey("path", to: &bytes)
    JSONText.appendString(entry.source, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("index", to: &bytes)
    JSONText.appendInt(entry.index, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    appendCertificateFields(certificate, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("daysRemaining", to: &bytes)
    JSONText.appendInt(entry.daysRemaining, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("status", to: &bytes)
    JSONText.appendString(entry.status.rawValue, to: &bytes)
    bytes.append(UInt8(ascii: "}"))
  }

  /// The certificate's own fields, without braces: subject ... sha256.
  static func appendCertificateFields(_ certificate: CertificateSummary, to bytes: inout [UInt8]) {
    JSONText.appendKey("subject", to: &bytes)
    JSONText.appendString(certificate.subject, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("subjectCN", to: &bytes)
    appendOptionalString(certificate.subjectCommonName, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("issuer", to: &bytes)
    JSONText.appendString(certificate.issuer, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("issuerCN", to: &bytes)
    appendOptionalString(certificate.issuerCommonName, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("serialNumber", to: &bytes)
    JSONText.appendString(certificate.serialNumber, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("notBefore", to: &bytes)
    appendDate(certificate.notBefore, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("notAfter", to: &bytes)
    appendDate(certificate.notAfter, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("dnsNames", to: &bytes)
    JSONText.appendStrings(certificate.dnsNames, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("ipAddresses", to: &bytes)
    JSONText.appendStrings(certificate.ipAddresses, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("extendedKeyUsages", to: &bytes)
    if let usages = certificate.extendedKeyUsages {
      JSONText.appendStrings(usages, to: &bytes)
    } else {
      bytes.append(contentsOf: "null".utf8)
    }
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("serverAuth", to: &bytes)
    JSONText.appendBool(certificate.serverAuth, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("isCA", to: &bytes)
    JSONText.appendBool(certificate.isCA, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("keyType", to: &bytes)
    JSONText.appendString(certificate.keyType, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("keyBits", to: &bytes)
    JSONText.appendInt(certificate.keyBits, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("sha1", to: &bytes)
    JSONText.appendString(certificate.sha1, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("sha256", to: &bytes)
    JSONText.appendString(certificate.sha256, to: &bytes)
  }

  static func appendSummary(
    tally: ScanTally, filesRead: Int, now: Date, policy: CheckPolicy, durationSeconds: Double, to bytes: inout [UInt8]
  ) {
    let counts = tally.counts
    let fields: [(StaticString, Int)] = [
      ("certificates", counts.certificates), ("ok", counts.ok), ("warning", counts.warning),
      ("critical", counts.critical), ("expired", counts.expired), ("notYetValid", counts.notYetValid),
      ("errors", counts.failures), ("filesRead", filesRead),
      ("warningDays", policy.warningDays), ("criticalDays", policy.criticalDays),
      ("exitCode", tally.state.rawValue),
    ]
    bytes.append(UInt8(ascii: "{"))
    for (key, value) in fields {
      JSONText.appendKey(key, to: &bytes)
      JSONText.appendInt(value, to: &bytes)
      bytes.append(UInt8(ascii: ","))
    }
    JSONText.appendKey("state", to: &bytes)
    JSONText.appendString(ScanStateName.of(tally.state), to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("now", to: &bytes)
    appendDate(now, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("durationSeconds", to: &bytes)
    bytes.append(contentsOf: PrometheusText.value(durationSeconds).utf8)
    bytes.append(UInt8(ascii: "}"))
  }

  private static func appendOptionalString(_ value: String?, to bytes: inout [UInt8]) {
    if let value {
      JSONText.appendString(value, to: &bytes)
    } else {
      bytes.append(contentsOf: "null".utf8)
    }
  }

  private static func appendDate(_ date: Date, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    RFC3339.append(date, to: &bytes)
    bytes.append(UInt8(ascii: "\""))
  }
}
