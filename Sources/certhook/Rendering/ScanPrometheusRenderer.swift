import CertificateKit
import Foundation

/// `--format prometheus`: node-exporter textfile format with x509-certificate-exporter's metric names and labels.
///
/// Every certificate is its own series, labelled `filepath`, `serial_number` (decimal, as the exporter
/// writes it), `subject_CN`, `issuer_CN`; every failed path is an `x509_cert_error` series.
enum ScanPrometheusRenderer {
  static func render(_ report: ScanReport, durationSeconds: Double, to sink: OutputSink) {
    let now = report.now.timeIntervalSince1970
    // Label text once per certificate; two identical certificates in one file would make duplicate
    // series, which Prometheus rejects, so repeats within a file are dropped (files are contiguous).
    var series: [(labels: String, entry: Int)] = []
    series.reserveCapacity(report.entries.count)
    var labelsInFile: Set<String> = []
    var currentFile: String?
    for (position, entry) in report.entries.enumerated() {
      if entry.source != currentFile {
        currentFile = entry.source
        labelsInFile.removeAll(keepingCapacity: true)
      }
      let labels = labelText(entry)
      guard labelsInFile.insert(labels).inserted else { continue }
      series.append((labels, position))
    }
    let families: [(String, String, (CertificateSummary) -> Double)] = [
      ("x509_cert_not_after", "Certificate notAfter, Unix time in seconds.", { $0.notAfter.timeIntervalSince1970 }),
      ("x509_cert_not_before", "Certificate notBefore, Unix time in seconds.", { $0.notBefore.timeIntervalSince1970 }),
      (
        "x509_cert_expired", "1 when the certificate has expired, else 0.",
        { $0.notAfter.timeIntervalSince1970 < now ? 1 : 0 }
      ),
      (
        "x509_cert_expires_in_seconds", "Seconds until the certificate expires (negative once expired).",
        {
          ($0.notAfter.timeIntervalSince1970 - now).rounded(.down)
        }
      ),
    ]
    for (name, help, value) in families {
      sink.write(PrometheusText.header(name, type: "gauge", help: help))
      for (labels, position) in series {
        let number = PrometheusText.value(value(report.entries[position].certificate))
        sink.withBuffer { bytes in
          bytes.append(contentsOf: name.utf8)
          bytes.append(UInt8(ascii: "{"))
          bytes.append(contentsOf: labels.utf8)
          bytes.append(contentsOf: "} ".utf8)
          bytes.append(contentsOf: number.utf8)
          bytes.append(0x0A)
        }
      }
    }
    sink.write(
      PrometheusText.header("x509_cert_error", type: "gauge", help: "1 for each path that could not be read or parsed.")
    )
    var failedPaths: Set<String> = []
    for failure in report.failures where failedPaths.insert(failure.path).inserted {
      sink.write(PrometheusText.sample("x509_cert_error", labels: [("filepath", failure.path)], value: "1"))
    }
    sink.write(
      PrometheusText.header("x509_read_errors", type: "gauge", help: "Paths that could not be read or parsed."))
    sink.write(PrometheusText.sample("x509_read_errors", labels: [], value: String(report.failures.count)))
    sink.write(
      PrometheusText.header("certhook_scan_duration_seconds", type: "gauge", help: "Wall time of the certhook scan."))
    sink.write(
      PrometheusText.sample("certhook_scan_duration_seconds", labels: [], value: PrometheusText.value(durationSeconds)))
    sink.flush()
  }

  private static func labelText(_ entry: CertificateReportEntry) -> String {
    let certificate = entry.certificate
    let labels = [
      ("filepath", entry.source),
      ("issuer_CN", certificate.issuerCommonName ?? ""),
      ("serial_number", DecimalSerial.fromHex(certificate.serialNumber)),
      ("subject_CN", certificate.subjectCommonName ?? ""),
    ]
    return labels.map { "\($0.0)=\"\(PrometheusText.escapeLabelValue($0.1))\"" }.joined(separator: ",")
  }
}
