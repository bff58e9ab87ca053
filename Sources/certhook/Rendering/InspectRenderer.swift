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
    summary.append(
      ("Domains", result.domains.isEmpty ? "(none requested)" : result.domains.map(domainText).joined(separator: ", ")))
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
      JSONText.object(into: &bytes) { members in
        members.raw("certificates") { bytes in
          appendLines(result.input.certificates, to: &bytes) { located, bytes in
            JSONText.object(into: &bytes) { appendCertificateMembers(located, result: result, to: &$0) }
          }
        }
        members.raw("key") { bytes in
          guard let key = result.input.key else { return bytes.append(contentsOf: "null".utf8) }
          JSONText.object(into: &bytes) { members in
            members.string("path", key.path)
            members.string("keyType", key.key.publicKey.algorithm.description)
            members.int("keyBits", key.key.publicKey.bits)
            members.bool("matchesLeaf", result.input.certificates.first.map { key.key.matches($0.certificate) } ?? false)
          }
        }
        members.strings("domains", result.domains)
        members.raw("findings") { bytes in
          appendLines(result.findings, to: &bytes) { finding, bytes in
            JSONText.object(into: &bytes) { members in
              members.string("code", finding.code.rawValue)
              members.string("severity", finding.severity.rawValue)
              members.string("message", finding.message)
              members.int("certificateIndex", finding.certificateIndex)
              members.bool("blocksDeployment", finding.blocksDeployment)
            }
          }
        }
        members.bool("deployable", result.deployable)
      }
      bytes.append(0x0A)
    }
  }

  /// A JSON array with one element per line.
  private static func appendLines<T>(_ items: [T], to bytes: inout [UInt8], _ element: (T, inout [UInt8]) -> Void) {
    bytes.append(UInt8(ascii: "["))
    for (offset, item) in items.enumerated() {
      if offset > 0 { bytes.append(UInt8(ascii: ",")) }
      bytes.append(0x0A)
      element(item, &bytes)
    }
    bytes.append(contentsOf: "\n]".utf8)
  }

  /// `{"error": "..."}` for a file that could not be loaded.
  static func errorJSON(_ message: String) -> String {
    var bytes: [UInt8] = Array("{\"error\":".utf8)
    JSONText.appendString(message, to: &bytes)
    bytes.append(contentsOf: ",\"deployable\":false}\n".utf8)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The scan fields first (same names and types as `scan --format json`), then inspect's extras.
  private static func appendCertificateMembers(
    _ located: InspectInput.Located, result: InspectResult, to members: inout JSONMembers
  ) {
    let certificate = located.certificate
    let entry = CertificateReportEntry(
      source: located.path, index: located.index, certificate: certificate, now: result.now, policy: result.policy)
    ScanJSONRenderer.appendEntryMembers(entry, to: &members)
    members.strings("emailAddresses", certificate.emailAddresses)
    members.strings("uris", certificate.uris)
    members.strings("keyUsage", certificate.keyUsage?.names)
    members.int("pathLength", certificate.pathLength)
    members.string("keyCurve", certificate.publicKey.curve)
    members.string("signatureAlgorithm", certificate.signatureAlgorithm)
    members.string("spkiSHA256", certificate.spkiSHA256)
    members.bool("selfIssued", certificate.isSelfIssued)
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

  /// `api.example`, or `bücher.example (xn--bcher-kva.example)` for a name matched as its A-label.
  private static func domainText(_ domain: String) -> String {
    guard let aLabel = try? IDNA.toASCII(domain), aLabel != domain.lowercased() else { return domain }
    return "\(domain) (\(aLabel))"
  }

  private static func list(_ values: [String]) -> String {
    values.isEmpty ? "-" : values.joined(separator: ", ")
  }

  private static func daysText(_ days: Int) -> String {
    days < 0 ? "expired \(-days) day\(-days == 1 ? "" : "s") ago" : "\(days) day\(days == 1 ? "" : "s") left"
  }
}
