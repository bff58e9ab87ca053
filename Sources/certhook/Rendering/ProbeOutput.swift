import CertHookCore
import Foundation

/// `certhook probe` output in `scan`'s three formats.
enum ProbeOutput {
  /// One row per (listener, domain) pair, then a summary line.
  static func table(_ report: ProbeReport, style: TerminalStyle) -> String {
    let header = ["STATUS", "LISTENER", "DOMAIN", "ENDPOINT", "SERVED SHA-256", "SERIAL", "NOT AFTER", "COVERS", "CHAIN", "LISTED AS"]
    var rows: [[String]] = []
    for r in report.results {
      if let error = r.error {
        rows.append([r.status, r.target.listenerId, r.target.domain, r.endpoint, "-", "-", "-", "-", "-", error])
        continue
      }
      rows.append([
        r.status, r.target.listenerId, r.target.domain, r.endpoint, String((r.sha256 ?? "?").prefix(16)) + "...",
        r.serial ?? "?", r.notAfter.map(RFC3339.format) ?? "?", r.covers == true ? "yes" : "no",
        r.chainTrusted == true ? "trusted" : "untrusted (\(r.chainProblem ?? "?"))", r.listedCertificateId ?? "not listed",
      ])
    }
    var out = StatusTable.render(header: header, rows: rows) { paint($0, status: $1, style: style) }
    let counts = report.counts
    let parts = ["ok", "warning", "critical", "expired", "uncovered", "unexpected", "untrusted", "unreachable"]
      .compactMap { s in counts[s].map { "\($0) \(s)" } }
    out += "\(report.results.count) handshake\(report.results.count == 1 ? "" : "s")"
    out += parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")
    if !report.errors.isEmpty { out += "; \(report.errors.count) error\(report.errors.count == 1 ? "" : "s")" }
    return out + "\n"
  }

  /// The JSON document: `probes`, `errors`, `summary` (counts and `exitCode`).
  static func json(_ report: ProbeReport, now: Date) -> String {
    struct Summary: Encodable {
      let handshakes: Int
      let counts: [String: Int]
      let errors: Int
      let exitCode: Int32
      let now: Date
    }
    struct Document: Encodable {
      let probes: [ProbeResult]
      let errors: [String]
      let summary: Summary
    }
    let summary = Summary(
      handshakes: report.results.count, counts: report.counts, errors: report.errors.count,
      exitCode: report.exitCode, now: now)
    return LifecycleJSON.text(Document(probes: report.results, errors: report.errors, summary: summary))
  }

  /// Prometheus textfile: per pair, the served certificate's notAfter and 0/1 gauges for coverage,
  /// trust, listing and reachability.
  static func prometheus(_ report: ProbeReport) -> String {
    func labels(_ r: ProbeResult) -> [(String, String)] {
      [
        ("domain", r.target.domain), ("listener", r.target.listenerId), ("load_balancer", r.target.loadBalancerId),
        ("product", r.target.product.rawValue),
      ]
    }
    var out = ""
    let families: [(String, String, (ProbeResult) -> Double?)] = [
      ("certhook_probe_up", "1 when the TLS handshake succeeded, else 0.", { $0.error == nil ? 1 : 0 }),
      ("certhook_probe_not_after", "Served leaf notAfter, Unix time in seconds.", { $0.notAfter?.timeIntervalSince1970 }),
      ("certhook_probe_covers", "1 when the served leaf covers the domain.", { r in r.covers.map { $0 ? 1 : 0 } }),
      ("certhook_probe_chain_trusted", "1 when the served chain verifies.", { r in r.chainTrusted.map { $0 ? 1 : 0 } }),
      ("certhook_probe_listed", "1 when the served leaf is a certificate the API lists on the listener.", { r in
        r.error == nil ? (r.listedCertificateId == nil ? 0 : 1) : nil
      }),
    ]
    for (name, help, value) in families {
      out += PrometheusText.header(name, type: "gauge", help: help)
      for r in report.results {
        guard let v = value(r) else { continue }
        out += PrometheusText.sample(name, labels: labels(r), value: PrometheusText.value(v))
      }
    }
    out += PrometheusText.header("certhook_probe_errors", type: "gauge", help: "Listeners or load balancers that could not be read.")
    out += PrometheusText.sample("certhook_probe_errors", labels: [], value: String(report.errors.count))
    return out
  }

  private static func paint(_ text: String, status: String, style: TerminalStyle) -> String {
    switch status {
    case "ok": return style.paint(text, .green)
    case "warning", "unreachable": return style.paint(text, .yellow)
    default: return style.paint(text, .red)
    }
  }
}
