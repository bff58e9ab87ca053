/// What a finding is about.
public enum FindingCode: String, Codable, Sendable, CaseIterable {
  /// notAfter is in the past.
  case expired
  /// notBefore is in the future.
  case notYetValid
  /// Expires within the warning window.
  case expiresSoon
  /// Expires within the critical window.
  case expiresVerySoon
  /// The leaf cannot be used for TLS server authentication (EKU or key usage).
  case notServerAuth
  /// The leaf is a CA certificate.
  case caAsLeaf
  /// The leaf has no subject alternative name.
  case noSubjectAltName
  /// RSA key below 2048 bits or EC key below 256 bits.
  case weakKey
  /// The chain holds the right certificates in the wrong order.
  case chainOutOfOrder
  /// A certificate is not issued (names and signature) by the next one.
  case chainBroken
  /// The private key does not belong to the leaf.
  case keyMismatch
  /// A requested domain is not covered by the leaf's SANs.
  case domainNotCovered
  /// An extension OpenSSL loads is duplicated or malformed (subjectAltName, extendedKeyUsage, keyUsage,
  /// basicConstraints, or an IP address SAN that is not 4 or 16 bytes).
  case malformedExtension
  /// A DNS SAN is not a valid host name (empty label, a character other than letters, digits, hyphens).
  case invalidDNSName
  /// A DNS SAN contains an underscore: not a host name per RFC 5280, but matched as OpenSSL does.
  case underscoreInDNSName
  /// A wildcard DNS SAN stands for a public suffix (`*.co.uk`): it covers no host name.
  case wildcardOnPublicSuffix
  /// The Public Suffix List could not be read: wildcards are checked against single-label suffixes only.
  case publicSuffixListUnavailable

  /// Whether a finding with this code stops a deployment.
  public var blocksDeployment: Bool {
    switch self {
    case .expiresSoon, .expiresVerySoon, .weakKey, .invalidDNSName, .underscoreInDNSName, .wildcardOnPublicSuffix,
      .publicSuffixListUnavailable:
      return false
    default: return true
    }
  }
}
