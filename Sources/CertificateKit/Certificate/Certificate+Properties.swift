import Foundation

extension Certificate {
  /// True when the certificate may be used for TLS server authentication by its EKU:
  /// the extension is absent, or contains `serverAuth` or `anyExtendedKeyUsage`.
  public var isServerAuthUsable: Bool {
    guard let usages = extendedKeyUsages else { return true }
    return usages.contains("serverAuth") || usages.contains("anyExtendedKeyUsage")
  }

  /// True when subject and issuer names are the same (a root or self-signed certificate).
  public var isSelfIssued: Bool {
    subject.rfc4514 == issuer.rfc4514
  }

  /// The certificate as one PEM block with 64-column base64 and a trailing newline.
  public var pem: String {
    PEMEncoder.encode(der, label: "CERTIFICATE")
  }

  /// Whether the DNS SANs (or IP SANs, for an IP literal) cover `hostname`, per RFC 6125 (see
  /// ``HostnameMatcher``: a Unicode `hostname` is compared as A-labels, no wildcard covers a public suffix).
  ///
  /// The subject common name is not consulted (browsers ignore it).
  public func covers(hostname: String, publicSuffixes: PublicSuffixList = .system) -> Bool {
    if let address = IPAddressText.parse(hostname) {
      return ipAddresses.contains { IPAddressText.parse($0) == address }
    }
    return HostnameMatcher.isCovered(hostname, by: dnsNames, publicSuffixes: publicSuffixes)
  }

  /// Whole days until `notAfter`: floor((notAfter - now) / 86400), negative once expired.
  public func daysRemaining(now: Date) -> Int {
    Int((notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
  }
}
