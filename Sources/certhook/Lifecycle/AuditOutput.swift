import CertHookCore
import Foundation

/// `certhook audit` output in `scan`'s three formats.
enum AuditOutput {
  /// A table, soonest expiry first, with a summary line.
  /// With `probe` (`audit --probe`), a last column SERVED FOR names the handshakes that presented the certificate.
  static func table(_ report: AuditReport, style: TerminalStyle, probe: ProbeReport? = nil) -> String {
    var header = ["STATUS", "DAYS", "NOT AFTER", "PRODUCT", "LOAD BALANCER", "LISTENER", "CERTIFICATE", "DOMAINS"]
    if probe != nil { header.append("SERVED FOR") }
    let served = probe.map(AuditProbe.servedNames) ?? [:]
    var rows: [[String]] = []
    for r in report.rows {
      var row = [
        r.status, r.daysRemaining.map(String.init) ?? "?", r.notAfter.map(RFC3339.format) ?? "unknown",
        r.product.rawValue, r.loadBalancerId, "\(r.listenerId) (\(r.listenerProtocol):\(r.port))",
        r.certificateId + (r.isDefault ? " default" : ""),
        r.domains.isEmpty ? "(CAS gave no names)" : r.domains.joined(separator: ","),
      ]
      if probe != nil { row.append(served["\(r.listenerId) \(r.certificateId)"]?.joined(separator: ",") ?? "-") }
      rows.append(row)
    }
    var out = StatusTable.render(header: header, rows: rows) { paint($0, status: $1, style: style) }
    let counts = report.counts
    let parts = ["ok", "warning", "critical", "expired", "unknown"].compactMap { s in counts[s].map { "\($0) \(s)" } }
    out += "\(report.rows.count) certificate\(report.rows.count == 1 ? "" : "s")"
    out += parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")
    if !report.errors.isEmpty { out += "; \(report.errors.count) error\(report.errors.count == 1 ? "" : "s")" }
    if let probe {
      let bad = probe.results.filter { $0.status != "ok" && $0.status != "warning" }.count
      out += "; \(probe.results.count) handshake\(probe.results.count == 1 ? "" : "s"), \(bad) not ok"
    }
    return out + "\n"
  }

  /// The JSON document: `certificates`, `errors`, `summary` (counts and `exitCode`), and with `audit --probe`
  /// `probes` (one per handshake, as `certhook probe --format json` writes them).
  static func json(_ report: AuditReport, now: Date, probe: ProbeReport? = nil) -> String {
    struct Summary: Encodable {
      let certificates: Int
      let ok: Int
      let warning: Int
      let critical: Int
      let expired: Int
      let unknown: Int
      let errors: Int
      let exitCode: Int32
      let now: Date
    }
    struct Document: Encodable {
      let certificates: [AuditRow]
      let errors: [String]
      let summary: Summary
      let probes: [ProbeResult]?
    }
    let c = report.counts
    let summary = Summary(
      certificates: report.rows.count, ok: c["ok"] ?? 0, warning: c["warning"] ?? 0, critical: c["critical"] ?? 0,
      expired: c["expired"] ?? 0, unknown: c["unknown"] ?? 0, errors: report.errors.count,
      exitCode: probe.map { AuditProbe.exitCode(audit: report, probe: $0) } ?? report.exitCode, now: now)
    return LifecycleJSON.text(
      Document(certificates: report.rows, errors: report.errors, summary: summary, probes: probe?.results))
  }

  /// Prometheus textfile: `x509_cert_*` gauges per listener certificate, labelled by load balancer and listener.
  static func prometheus(_ report: AuditReport, now: Date) -> String {
    let known = report.rows.filter { $0.notAfter != nil }
    func labels(_ r: AuditRow) -> [(String, String)] {
      [
        ("certificate_id", r.certificateId), ("default", r.isDefault ? "true" : "false"),
        ("listener", r.listenerId), ("load_balancer", r.loadBalancerId), ("product", r.product.rawValue),
        ("subject_CN", r.commonName ?? ""),
      ]
    }
    var out = ""
    let families: [(String, String, (Date) -> Double)] = [
      ("x509_cert_not_after", "Certificate notAfter, Unix time in seconds.", { $0.timeIntervalSince1970 }),
      ("x509_cert_expired", "1 when the certificate has expired, else 0.", { $0 <= now ? 1 : 0 }),
      ("x509_cert_expires_in_seconds", "Seconds until the certificate expires (negative once expired).", {
        $0.timeIntervalSince(now).rounded(.down)
      }),
    ]
    for (name, help, value) in families {
      out += PrometheusText.header(name, type: "gauge", help: help)
      for r in known {
        guard let end = r.notAfter else { continue }
        out += PrometheusText.sample(name, labels: labels(r), value: PrometheusText.value(value(end)))
      }
    }
    out += PrometheusText.header("certhook_audit_errors", type: "gauge", help: "Listeners or load balancers that could not be read.")
    out += PrometheusText.sample("certhook_audit_errors", labels: [], value: String(report.errors.count))
    return out
  }

  private static func paint(_ text: String, status: String, style: TerminalStyle) -> String {
    switch status {
    case "expired", "critical": return style.paint(text, .red)
    case "warning", "unknown": return style.paint(text, .yellow)
    default: return style.paint(text, .green)
    }
  }
}
