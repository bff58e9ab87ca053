import Foundation

/// The fields of one certificate that reports print, without its DER: a 100,000-certificate report stays small.
///
/// The text fields and both fingerprints are packed into one byte buffer (one allocation per certificate,
/// fingerprints as raw bytes); the properties decode on access. Built from a parsed ``Certificate`` (scan) or
/// from parts with the memberwise initializer (audit describes certificates served by load balancers this way).
public struct CertificateSummary: Sendable, Hashable {
  private let packed: [UInt8]
  /// Start of validity.
  public let notBefore: Date
  /// End of validity.
  public let notAfter: Date
  /// True when the EKU extension is absent or contains serverAuth or anyExtendedKeyUsage.
  public let serverAuth: Bool
  /// The basic constraints CA flag.
  public let isCA: Bool
  /// Key size in bits (RSA modulus, EC curve degree).
  public let keyBits: Int

  /// The summary of a parsed certificate.
  public init(_ certificate: Certificate) {
    self.init(
      subject: certificate.subject.rfc4514, subjectCommonName: certificate.subject.commonName,
      issuer: certificate.issuer.rfc4514, issuerCommonName: certificate.issuer.commonName,
      serialNumber: certificate.serialNumber, notBefore: certificate.notBefore, notAfter: certificate.notAfter,
      dnsNames: certificate.dnsNames, ipAddresses: certificate.ipAddresses,
      extendedKeyUsages: certificate.extendedKeyUsages, serverAuth: certificate.isServerAuthUsable,
      isCA: certificate.isCA, keyType: certificate.publicKey.algorithm.description, keyBits: certificate.publicKey.bits,
      sha1: certificate.sha1Fingerprint, sha256: certificate.sha256Fingerprint)
  }

  /// A summary from its parts; `sha1` and `sha256` are hex (any case).
  public init(
    subject: String, subjectCommonName: String?, issuer: String, issuerCommonName: String?, serialNumber: String,
    notBefore: Date, notAfter: Date, dnsNames: [String], ipAddresses: [String], extendedKeyUsages: [String]?,
    serverAuth: Bool, isCA: Bool, keyType: String, keyBits: Int, sha1: String, sha256: String
  ) {
    var writer = SummaryPacking.Writer()
    writer.string(subject)
    writer.optionalString(subjectCommonName)
    writer.string(issuer)
    writer.optionalString(issuerCommonName)
    writer.string(serialNumber)
    writer.list(dnsNames)
    writer.list(ipAddresses)
    writer.optionalList(extendedKeyUsages)
    writer.string(keyType)
    writer.hex(sha1)
    writer.hex(sha256)
    packed = writer.bytes
    self.notBefore = notBefore
    self.notAfter = notAfter
    self.serverAuth = serverAuth
    self.isCA = isCA
    self.keyBits = keyBits
  }

  /// Which packed fields are lists (dnsNames, ipAddresses, extendedKeyUsages).
  private static let listFields: Set<Int> = [5, 6, 7]

  private func read<Value>(_ index: Int, _ decode: (inout SummaryPacking.Reader) -> Value) -> Value {
    var reader = SummaryPacking.Reader(packed)
    for skipped in 0..<index { reader.skip(isList: Self.listFields.contains(skipped)) }
    return decode(&reader)
  }

  /// Subject distinguished name, RFC 4514.
  public var subject: String { read(0) { $0.optionalString() } ?? "" }
  /// Subject common name, when there is one.
  public var subjectCommonName: String? { read(1) { $0.optionalString() } }
  /// Issuer distinguished name, RFC 4514.
  public var issuer: String { read(2) { $0.optionalString() } ?? "" }
  /// Issuer common name, when there is one.
  public var issuerCommonName: String? { read(3) { $0.optionalString() } }
  /// Serial number, lowercase hex without leading zeros.
  public var serialNumber: String { read(4) { $0.optionalString() } ?? "" }
  /// DNS subject alternative names.
  public var dnsNames: [String] { read(5) { $0.optionalList() } ?? [] }
  /// IP address subject alternative names, textual.
  public var ipAddresses: [String] { read(6) { $0.optionalList() } ?? [] }
  /// Extended key usages by name (dotted OID when unnamed); nil when the extension is absent.
  public var extendedKeyUsages: [String]? { read(7) { $0.optionalList() } }
  /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA` or another algorithm name.
  public var keyType: String { read(8) { $0.optionalString() } ?? "" }
  /// SHA-1 fingerprint of the DER, uppercase hex.
  public var sha1: String { read(9) { $0.hex() } }
  /// SHA-256 fingerprint of the DER, uppercase hex.
  public var sha256: String { read(10) { $0.hex() } }

  /// Whole days until `notAfter`: floor((notAfter - now) / 86400), negative once expired.
  public func daysRemaining(now: Date) -> Int {
    Int((notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
  }
}
