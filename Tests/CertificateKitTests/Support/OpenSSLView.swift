import Foundation
import XCTest

/// What `openssl x509` shows for a certificate, parsed from its text output (tests only).
struct OpenSSLView {
  var subject = ""
  var issuer = ""
  var serial = ""
  var notBefore = ""
  var notAfter = ""
  var sha1 = ""
  var sha256 = ""
  var spkiSHA256 = ""
  var signatureAlgorithm = ""
  var publicKeyAlgorithm = ""
  var publicKeyBits: Int?
  var curve: String?
  var subjectAltName: String?
  var keyUsage: String?
  var extendedKeyUsage: String?
  var basicConstraints: String?

  /// Runs `openssl x509` (and `pkey`, `dgst`) on the PEM file at `path`.
  init(pemPath path: String) throws {
    let main = try OpenSSLTool.run([
      "x509", "-in", path, "-noout", "-nameopt", "RFC2253,-esc_msb", "-subject", "-issuer", "-serial", "-dates",
      "-dateopt", "iso_8601", "-sha256", "-fingerprint", "-text",
    ])
    let lines = main.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for (index, line) in lines.enumerated() {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      let next = index + 1 < lines.count ? lines[index + 1].trimmingCharacters(in: .whitespaces) : ""
      if line.hasPrefix("subject=") { subject = String(line.dropFirst("subject=".count)) }
      if line.hasPrefix("issuer=") { issuer = String(line.dropFirst("issuer=".count)) }
      if line.hasPrefix("serial=") { serial = String(line.dropFirst("serial=".count)) }
      if line.hasPrefix("notBefore=") { notBefore = Self.isoDate(line.dropFirst("notBefore=".count)) }
      if line.hasPrefix("notAfter=") { notAfter = Self.isoDate(line.dropFirst("notAfter=".count)) }
      if line.lowercased().hasPrefix("sha256 fingerprint=") {
        sha256 = line.split(separator: "=", maxSplits: 1)[1].replacingOccurrences(of: ":", with: "")
      }
      if trimmed.hasPrefix("Signature Algorithm:"), signatureAlgorithm.isEmpty {
        signatureAlgorithm = trimmed.dropFirst("Signature Algorithm:".count).trimmingCharacters(in: .whitespaces)
      }
      if trimmed.hasPrefix("Public Key Algorithm:") {
        publicKeyAlgorithm = trimmed.dropFirst("Public Key Algorithm:".count).trimmingCharacters(in: .whitespaces)
      }
      if trimmed.hasPrefix("Public-Key: ("), let open = trimmed.firstIndex(of: "("),
        let space = trimmed[open...].firstIndex(of: " ")
      {
        publicKeyBits = Int(trimmed[trimmed.index(after: open)..<space])
      }
      if trimmed.hasPrefix("NIST CURVE:") {
        curve = trimmed.dropFirst("NIST CURVE:".count).trimmingCharacters(in: .whitespaces)
      }
      if trimmed.hasPrefix("X509v3 Subject Alternative Name:") { subjectAltName = next }
      if trimmed.hasPrefix("X509v3 Key Usage:") { keyUsage = next }
      if trimmed.hasPrefix("X509v3 Extended Key Usage:") { extendedKeyUsage = next }
      if trimmed.hasPrefix("X509v3 Basic Constraints:") { basicConstraints = next }
    }
    let sha1Line = try OpenSSLTool.run(["x509", "-in", path, "-noout", "-sha1", "-fingerprint"])
    sha1 =
      sha1Line.split(separator: "=", maxSplits: 1).last.map(String.init)?
      .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ":", with: "") ?? ""
    let publicKeyPEM = try OpenSSLTool.runBytes(["x509", "-in", path, "-noout", "-pubkey"])
    let spki = try OpenSSLTool.runBytes(["pkey", "-pubin", "-outform", "DER"], input: publicKeyPEM)
    let digest = try OpenSSLTool.run(["dgst", "-sha256", "-r"], input: spki)
    spkiSHA256 = String(digest.prefix { $0 != " " }).uppercased()
  }

  /// OpenSSL prints the year as `%4d` (`   1-01-01 ...`); zero-pad it.
  private static func isoDate(_ text: Substring) -> String {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let dash = trimmed.firstIndex(of: "-") else { return trimmed }
    let year = trimmed[..<dash]
    return String(repeating: "0", count: max(0, 4 - year.count)) + trimmed
  }

  /// OpenSSL's serial (uppercase hex, maybe leading zeros) in certhook's form.
  var normalizedSerial: String {
    var text = serial.lowercased()
    var negative = false
    if text.hasPrefix("-") {
      negative = true
      text.removeFirst()
    }
    while text.count > 1, text.hasPrefix("0") { text.removeFirst() }
    return negative ? "-" + text : text
  }

  /// DNS names in the SAN line.
  var dnsNames: [String] { sanValues("DNS:") }
  /// IP addresses in the SAN line, as OpenSSL prints them.
  var ipAddresses: [String] { sanValues("IP Address:") }
  var emailAddresses: [String] { sanValues("email:") }
  var uris: [String] { sanValues("URI:") }

  private func sanValues(_ prefix: String) -> [String] {
    guard let subjectAltName else { return [] }
    return subjectAltName.components(separatedBy: ", ").filter { $0.hasPrefix(prefix) }.map {
      String($0.dropFirst(prefix.count))
    }
  }

  /// OpenSSL's display names of extended key usages mapped to certhook's names.
  var extendedKeyUsages: [String]? {
    guard let extendedKeyUsage else { return nil }
    let names = [
      "TLS Web Server Authentication": "serverAuth", "TLS Web Client Authentication": "clientAuth",
      "Code Signing": "codeSigning", "E-mail Protection": "emailProtection", "Time Stamping": "timeStamping",
      "OCSP Signing": "OCSPSigning", "Any Extended Key Usage": "anyExtendedKeyUsage",
    ]
    return extendedKeyUsage.components(separatedBy: ", ").map { names[$0] ?? $0 }
  }

  /// OpenSSL's display names of key usage bits mapped to certhook's names.
  var keyUsageNames: [String]? {
    guard let keyUsage else { return nil }
    let names = [
      "Digital Signature": "digitalSignature", "Non Repudiation": "contentCommitment",
      "Key Encipherment": "keyEncipherment", "Data Encipherment": "dataEncipherment", "Key Agreement": "keyAgreement",
      "Certificate Sign": "keyCertSign", "CRL Sign": "cRLSign", "Encipher Only": "encipherOnly",
      "Decipher Only": "decipherOnly",
    ]
    return keyUsage.components(separatedBy: ", ").map { names[$0] ?? $0 }
  }
}
