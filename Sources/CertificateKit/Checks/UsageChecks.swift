/// Leaf usage findings (EKU, key usage, CA flag, SANs) and weak keys.
enum UsageChecks {
  static func leafFindings(_ leaf: Certificate) -> [Finding] {
    var findings: [Finding] = []
    let name = ValidityChecks.label(leaf, index: 0)
    if !leaf.isServerAuthUsable {
      findings.append(
        Finding(
          code: .notServerAuth, severity: .critical,
          message:
            "\(name) is not for TLS servers: its extended key usage (\((leaf.extendedKeyUsages ?? []).joined(separator: ", "))) "
            + "lacks serverAuth", certificateIndex: 0))
    }
    if let usage = leaf.keyUsage, let missing = missingKeyUsage(usage, algorithm: leaf.publicKey.algorithm) {
      findings.append(
        Finding(
          code: .notServerAuth, severity: .critical,
          message:
            "\(name) is not for TLS servers: its key usage (\(usage.names.joined(separator: ", "))) lacks \(missing)",
          certificateIndex: 0))
    }
    if leaf.isCA {
      findings.append(
        Finding(
          code: .caAsLeaf, severity: .critical,
          message: "\(name) is a CA certificate (basicConstraints CA:TRUE), not a server certificate; "
            + "is the file's order wrong?", certificateIndex: 0))
    }
    if leaf.dnsNames.isEmpty, leaf.ipAddresses.isEmpty {
      findings.append(
        Finding(
          code: .noSubjectAltName, severity: .critical,
          message: "\(name) has no DNS or IP subject alternative name; clients ignore the common name",
          certificateIndex: 0))
    }
    return findings
  }

  /// What the key usage lacks for a TLS server with this key type, or nil when it is enough.
  static func missingKeyUsage(_ usage: KeyUsage, algorithm: KeyAlgorithm) -> String? {
    switch algorithm {
    case .rsa:
      return usage.contains(.digitalSignature) || usage.contains(.keyEncipherment)
        ? nil : "digitalSignature and keyEncipherment"
    default:
      return usage.contains(.digitalSignature) ? nil : "digitalSignature"
    }
  }

  static func weakKey(_ certificate: Certificate, index: Int) -> Finding? {
    let key = certificate.publicKey
    let weak: Bool
    switch key.algorithm {
    case .rsa, .dsa: weak = key.bits < 2048
    case .ec: weak = key.bits < 256
    default: weak = false
    }
    guard weak else { return nil }
    return Finding(
      code: .weakKey, severity: .warning,
      message: "\(ValidityChecks.label(certificate, index: index)) has a weak \(key) key "
        + "(minimum: RSA 2048 bits, EC 256 bits)", certificateIndex: index)
  }
}
