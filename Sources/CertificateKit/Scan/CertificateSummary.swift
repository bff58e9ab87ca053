import Foundation

/// The fields of one certificate that reports print, without its DER: a 100,000-certificate report stays small.
///
/// Built from a parsed ``Certificate`` (scan) or from any other source with the memberwise initializer
/// (audit describes certificates served by load balancers this way).
public struct CertificateSummary: Sendable, Hashable {
  /// Subject distinguished name, RFC 4514.
  public let subject: String
  /// Subject common name, when there is one.
  public let subjectCommonName: String?
  /// Issuer distinguished name, RFC 4514.
  public let issuer: String
  /// Issuer common name, when there is one.
  public let issuerCommonName: String?
  /// Serial number, lowercase hex without leading zeros.
  public let serialNumber: String
  /// Start of validity.
  public let notBefore: Date
  /// End of validity.
  public let notAfter: Date
  /// DNS subject alternative names.
  public let dnsNames: [String]
  /// IP address subject alternative names, textual.
  public let ipAddresses: [String]
  /// Extended key usages by name (dotted OID when unnamed); nil when the extension is absent.
  public let extendedKeyUsages: [String]?
  /// True when the EKU extension is absent or contains serverAuth or anyExtendedKeyUsage.
  public let serverAuth: Bool
  /// The basic constraints CA flag.
  public let isCA: Bool
  /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA` or another algorithm name.
  public let keyType: String
  /// Key size in bits (RSA modulus, EC curve degree).
  public let keyBits: Int
  /// SHA-1 fingerprint of the DER, 40 uppercase hex digits.
  public let sha1: String
  /// SHA-256 fingerprint of the DER, 64 uppercase hex digits.
  public let sha256: String

  /// The summary of a parsed certificate.
  public init(_ certificate: Certificate) {
    subject = certificate.subject.rfc4514
    subjectCommonName = certificate.subject.commonName
    issuer = certificate.issuer.rfc4514
    issuerCommonName = certificate.issuer.commonName
    serialNumber = certificate.serialNumber
    notBefore = certificate.notBefore
    notAfter = certificate.notAfter
    dnsNames = certificate.dnsNames
    ipAddresses = certificate.ipAddresses
    extendedKeyUsages = certificate.extendedKeyUsages
    serverAuth = certificate.isServerAuthUsable
    isCA = certificate.isCA
    keyType = certificate.publicKey.algorithm.description
    keyBits = certificate.publicKey.bits
    sha1 = certificate.sha1Fingerprint
    sha256 = certificate.sha256Fingerprint
  }

  /// A summary from its parts.
  public init(
    subject: String, subjectCommonName: String?, issuer: String, issuerCommonName: String?, serialNumber: String,
    notBefore: Date, notAfter: Date, dnsNames: [String], ipAddresses: [String], extendedKeyUsages: [String]?,
    serverAuth: Bool, isCA: Bool, keyType: String, keyBits: Int, sha1: String, sha256: String
  ) {
    self.subject = subject
    self.subjectCommonName = subjectCommonName
    self.issuer = issuer
    self.issuerCommonName = issuerCommonName
    self.serialNumber = serialNumber
    self.notBefore = notBefore
    self.notAfter = notAfter
    self.dnsNames = dnsNames
    self.ipAddresses = ipAddresses
    self.extendedKeyUsages = extendedKeyUsages
    self.serverAuth = serverAuth
    self.isCA = isCA
    self.keyType = keyType
    self.keyBits = keyBits
    self.sha1 = sha1
    self.sha256 = sha256
  }

  /// Whole days until `notAfter`: floor((notAfter - now) / 86400), negative once expired.
  public func daysRemaining(now: Date) -> Int {
    Int((notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
  }
}
