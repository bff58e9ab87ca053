import CertificateKit
import Foundation

/// Human and JSON output of `certhook inspect`.
enum InspectRenderer {
  static func renderText(_ result: InspectResult, style: TerminalStyle, to sink: OutputSink) {
    let total = result.input.certificates.count
    for (position, located) in result.input.certificates.enumerated() {
      let certificate = located.certificate
      let role = position == 0 ? "leaf" : (certificate.isSelfIssued ? "root" : "chain")
      let status = ExpiryStatus.of(certificate, now: result.now, policy: result.policy)
      let days = certificate.daysRemaining(now: result.now)
      if position > 0 { sink.write("\n") }
      sink.write(
        style.paint("Certificate \(position + 1) of \(total) (\(role)): \(located.path) #\(located.index)", .bold)
          + "\n")
      var rows: [(String, String)] = [
        ("Subject", certificate.subject.rfc4514),
        ("Issuer", certificate.issuer.rfc4514),
        ("Serial", certificate.serialNumber),
        ("Not before", RFC3339.format(certificate.notBefore)),
        ("Not after", "\(RFC3339.format(certificate.notAfter)) (\(daysText(days)))"),
        ("Status", style.paint(status.rawValue, ScanTableRenderer.colour(status))),
        ("DNS names", list(certificate.dnsNames)),
        ("IP addresses", list(certificate.ipAddresses)),
      ]
      if !certificate.emailAddresses.isEmpty { rows.append(("Emails", list(certificate.emailAddresses))) }
      if !certificate.uris.isEmpty { rows.append(("URIs", list(certificate.uris))) }
      rows += [
        ("Key usage", certificate.keyUsage.map { list($0.names) } ?? "(absent)"),
        ("Extended key usage", certificate.extendedKeyUsages.map(list) ?? "(absent: any)"),
        ("TLS server auth", certificate.isServerAuthUsable ? "yes" : "no"),
        ("CA", certificate.isCA ? "yes" + (certificate.pathLength.map { ", path length \($0)" } ?? "") : "no"),
        ("Public key", certificate.publicKey.description),
        ("Signature", certificate.signatureAlgorithm),
        ("SHA-1", certificate.sha1Fingerprint),
        ("SHA-256", certificate.sha256Fingerprint),
        ("SPKI SHA-256", certificate.spkiSHA256),
      ]
      writeRows(rows, to: sink)
      let own = result.findings(for: position)
      if !own.isEmpty {
        sink.write("  Findings:\n")
        for finding in own { sink.write("    \(findingLine(finding, style: style))\n") }
      }
    }
    sink.write("\n")
    var summary: [(String, String)] = []
    if let key = result.input.key {
      let matches = result.input.certificates.first.map { key.key.matches($0.certificate) } ?? false
      summary.append(
        ("Key", "\(key.path): \(key.key.publicKey) (\(matches ? "matches the leaf" : "does NOT match the leaf"))"))
    } else {
      summary.append(("Key", "(not given)"))
    }
    summary.append(("Domains", result.domains.isEmpty ? "(none requested)" : result.domains.joined(separator: ", ")))
    writeRows(summary, indent: "", to: sink)
    let general = result.generalFindings
    if !general.isEmpty {
      sink.write("Findings:\n")
      for finding in general { sink.write("  \(findingLine(finding, style: style))\n") }
    }
    let verdict =
      result.deployable
      ? style.paint("fit to deploy", .green) + " as a TLS server certificate"
      : style.paint("NOT fit to deploy", .red)
        + " (\(result.findings.filter(\.blocksDeployment).count) blocking finding(s))"
    sink.write("Result: \(verdict)\n")
  }

  static func renderJSON(_ result: InspectResult, to sink: OutputSink) {
    sink.withBuffer { bytes in
      bytes.append(contentsOf: "{\"certificates\":[".utf8)
      for (position, located) in result.input.certificates.enumerated() {
        if position > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(0x0A)
        appendCertificate(located, result: result, to: &bytes)
      }
      bytes.append(contentsOf: "\n],\"key\":".utf8)
      if let key = result.input.key {
        bytes.append(UInt8(ascii: "{"))
        JSONText.appendKey("path", to: &bytes)
        JSONText.appendString(key.path, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        JSONText.appendKey("keyType", to: &bytes)
        JSONText.appendString(key.key.publicKey.algorithm.description, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        JSONText.appendKey("keyBits", to: &bytes)
        JSONText.appendInt(key.key.publicKey.bits, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        JSONText.appendKey("matchesLeaf", to: &bytes)
        JSONText.appendBool(
          result.input.certificates.first.map { key.key.matches($0.certificate) } ?? false, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
      } else {
        bytes.append(contentsOf: "null".utf8)
      }
      bytes.append(UInt8(ascii: ","))
      JSONText.appendKey("domains", to: &bytes)
      JSONText.appendStrings(result.domains, to: &bytes)
      bytes.append(contentsOf: ",\n\"findings\":[".utf8)
      for (offset, finding) in result.findings.enumerated() {
        if offset > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(0x0A)
        appendFinding(finding, to: &bytes)
      }
      bytes.append(contentsOf: "\n],".utf8)
      JSONText.appendKey("deployable", to: &bytes)
      JSONText.appendBool(result.deployable, to: &bytes)
      bytes.append(contentsOf: "}\n".utf8)
    }
  }

  /// `{"error": "..."}` for a file that could not be loaded.
  static func errorJSON(_ message: String) -> String {
    var bytes: [UInt8] = Array("{\"error\":".utf8)
    JSONText.appendString(message, to: &bytes)
    bytes.append(contentsOf: ",\"deployable\":false}\n".utf8)
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func appendCertificate(_ located: InspectInput.Located, result: InspectResult, to bytes: inout [UInt8])
  {
    let certificate = located.certificate
    let entry = CertificateReportEntry(
      source: located.path, index: located.index, certificate: certificate, now: result.now, policy: result.policy)
    // The scan fields first (same names and types as `scan --format json`), then inspect's extras.
    var scanObject: [UInt8] = []
    ScanJSONRenderer.appendEntry(entry, to: &scanObject)
    scanObject.removeLast()  // the closing brace
    bytes.append(contentsOf: scanObject)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("emailAddresses", to: &bytes)
    JSONText.appendStrings(certificate.emailAddresses, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("uris", to: &bytes)
    JSONText.appendStrings(certificate.uris, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("keyUsage", to: &bytes)
    if let usage = certificate.keyUsage {
      JSONText.appendStrings(usage.names, to: &bytes)
    } else {
      bytes.append(contentsOf: "null".utf8)
    }
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("pathLength", to: &bytes)
    if let length = certificate.pathLength {
      JSONText.appendInt(length, to: &bytes)
    } else {
      bytes.append(contentsOf: "null".utf8)
    }
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("keyCurve", to: &bytes)
    if let curve = certificate.publicKey.curve {
      JSONText.appendString(curve, to: &bytes)
    } else {
      bytes.append(contentsOf: "null".utf8)
    }
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("signatureAlgorithm", to: &bytes)
    JSONText.appendString(certificate.signatureAlgorithm, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("spkiSHA256", to: &bytes)
    JSONText.appendString(certificate.spkiSHA256, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("selfIssued", to: &bytes)
    JSONText.appendBool(certificate.isSelfIssued, to: &bytes)
    bytes.append(UInt8(ascii: "}"))
  }

  private static func appendFinding(_ finding: Finding, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "{"))
    JSONText.appendKey("code", to: &bytes)
    JSONText.appendString(finding.code.rawValue, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("severity", to: &bytes)
    JSONText.appendString(finding.severity.rawValue, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("message", to: &bytes)
    JSONText.appendString(finding.message, to: &bytes)
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("certificateIndex", to: &bytes)
    if let index = finding.certificateIndex {
      JSONText.appendInt(index, to: &bytes)
    } else {
      bytes.append(contentsOf: "null".utf8)
    }
    bytes.append(UInt8(ascii: ","))
    JSONText.appendKey("blocksDeployment", to: &bytes)
    JSONText.appendBool(finding.blocksDeployment, to: &bytes)
    bytes.append(UInt8(ascii: "}"))
  }

  private static func findingLine(_ finding: Finding, style: TerminalStyle) -> String {
    let colour: TerminalStyle.Colour =
      finding.severity == .critical ? .red : (finding.severity == .warning ? .yellow : .green)
    let tag = style.paint("[\(finding.severity.rawValue)]", colour)
    let blocking = finding.blocksDeployment ? " (blocks deployment)" : ""
    return "\(tag) \(finding.code.rawValue): \(finding.message)\(blocking)"
  }

  private static func writeRows(_ rows: [(String, String)], indent: String = "  ", to sink: OutputSink) {
    let width = rows.map(\.0.count).max() ?? 0
    for (label, value) in rows {
      sink.write(indent + label + String(repeating: " ", count: width - label.count) + "  " + value + "\n")
    }
  }

  private static func list(_ values: [String]) -> String {
    values.isEmpty ? "-" : values.joined(separator: ", ")
  }

  private static func daysText(_ days: Int) -> String {
    days < 0 ? "expired \(-days) day\(-days == 1 ? "" : "s") ago" : "\(days) day\(days == 1 ? "" : "s") left"
  }
}
