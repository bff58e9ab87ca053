internal import COpenSSL
import Foundation

/// An immutable, parsed X.509 certificate that keeps its original DER bytes.
///
/// Parsing happens once, in `init(derEncoded:)`; every field and both fingerprints are computed
/// then. Equality and hashing use the DER bytes.
public struct Certificate: Sendable, Hashable {
  /// The original DER encoding.
  public let der: [UInt8]
  /// The subject name.
  public let subject: DistinguishedName
  /// The issuer name.
  public let issuer: DistinguishedName
  /// The serial number as lowercase hex without leading zeros (`"0"` for zero, `-` prefix when negative).
  public let serialNumber: String
  /// The start of the validity period.
  public let notBefore: Date
  /// The end of the validity period.
  public let notAfter: Date
  /// DNS name SANs, as written in the certificate.
  public let dnsNames: [String]
  /// IP address SANs: dotted IPv4, RFC 5952 IPv6.
  public let ipAddresses: [String]
  /// Email (rfc822Name) SANs.
  public let emailAddresses: [String]
  /// URI SANs.
  public let uris: [String]
  /// The key usage extension; nil when absent.
  public let keyUsage: KeyUsage?
  /// Extended key usages by name (`serverAuth`, `clientAuth`, ...) or dotted OID; nil when absent.
  public let extendedKeyUsages: [String]?
  /// The basic constraints CA flag (false when the extension is absent).
  public let isCA: Bool
  /// The basic constraints path length constraint, if any.
  public let pathLength: Int?
  /// The subject public key's algorithm, size and curve.
  public let publicKey: PublicKeyDescription
  /// The signature algorithm's OpenSSL long name (e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA256`).
  public let signatureAlgorithm: String
  /// SHA-1 of the DER, 40 uppercase hex digits (Alibaba CAS "Fingerprint").
  public let sha1Fingerprint: String
  /// SHA-256 of the DER, 64 uppercase hex digits (Alibaba CAS "Sha2").
  public let sha256Fingerprint: String
  /// SHA-256 of the SubjectPublicKeyInfo DER, uppercase hex.
  public let spkiSHA256: String
  /// Extensions that OpenSSL loads but certhook could not read (duplicated or malformed subjectAltName,
  /// extendedKeyUsage, keyUsage or basicConstraints; an IP address SAN that is not 4 or 16 bytes), one phrase
  /// each. Only tolerant parsing (`parseAll(_:source:tolerant: true)`, what `scan` uses) fills it: strict
  /// parsing throws instead. The fields of such an extension hold what could be read (or their absent value).
  public let malformedExtensions: [String]

  /// Parses one DER-encoded certificate; trailing bytes are an error.
  public init(derEncoded: [UInt8]) throws {
    let parsed = try Certificate.parsePrefix(derEncoded, from: 0, source: "certificate", index: 0)
    guard parsed.consumed == derEncoded.count else {
      throw CertificateKitError.malformedCertificate(
        source: "certificate", index: 0, reason: "\(derEncoded.count - parsed.consumed) bytes after the certificate")
    }
    self = parsed.certificate
  }

  /// Parses the certificate that starts at `offset` in `storage`; returns it and how many bytes it took.
  ///
  /// When the certificate spans all of `storage`, the array itself becomes `der` (no copy).
  static func parsePrefix(_ storage: [UInt8], from offset: Int, source: String, index: Int, tolerant: Bool = false)
    throws -> (
      certificate: Certificate, consumed: Int
    )
  {
    let decoded = storage.withUnsafeBytes { bytes in
      X509Handle.decode(UnsafeRawBufferPointer(rebasing: bytes[offset...]), fast: true)
    }
    guard let (handle, consumed) = decoded else {
      let details = OpenSSLErrorQueue.drain()
      throw CertificateKitError.malformedCertificate(
        source: source, index: index, reason: details.isEmpty ? "not a DER certificate" : details)
    }
    do {
      let der = offset == 0 && consumed == storage.count ? storage : Array(storage[offset..<(offset + consumed)])
      let certificate = try withExtendedLifetime(handle) {
        try Certificate(der: der, x509: handle.pointer, tolerant: tolerant)
      }
      OpenSSLErrorQueue.clear()
      return (certificate, consumed)
    } catch let failure as X509FieldReader.Failure {
      OpenSSLErrorQueue.clear()
      throw CertificateKitError.malformedCertificate(source: source, index: index, reason: failure.reason)
    } catch let error as CertificateKitError {
      OpenSSLErrorQueue.clear()
      throw error
    }
  }

  private init(der: [UInt8], x509: OpaquePointer, tolerant: Bool) throws {
    var problems: [String]? = tolerant ? [] : nil
    self.der = der
    subject = try X509FieldReader.name(X509_get_subject_name(x509))
    issuer = try X509FieldReader.name(X509_get_issuer_name(x509))
    serialNumber = try X509FieldReader.serial(x509)
    notBefore = try X509FieldReader.time(X509_get0_notBefore(x509), field: "notBefore")
    notAfter = try X509FieldReader.time(X509_get0_notAfter(x509), field: "notAfter")
    let names = try X509FieldReader.subjectAlternativeNames(x509, problems: &problems)
    dnsNames = names.dnsNames
    ipAddresses = names.ipAddresses
    emailAddresses = names.emailAddresses
    uris = names.uris
    keyUsage = try Self.tolerating(&problems, nil) { try X509FieldReader.keyUsage(x509) }
    extendedKeyUsages = try Self.tolerating(&problems, nil) { try X509FieldReader.extendedKeyUsages(x509) }
    let constraints = try Self.tolerating(&problems, (isCA: false, pathLength: nil)) {
      try X509FieldReader.basicConstraints(x509)
    }
    isCA = constraints.isCA
    pathLength = constraints.pathLength
    malformedExtensions = problems ?? []
    (publicKey, spkiSHA256) = try SubjectPublicKeyInfoReader.read(x509)
    signatureAlgorithm = X509FieldReader.signatureAlgorithm(x509)
    (sha1Fingerprint, sha256Fingerprint) = try der.withUnsafeBytes { bytes in
      (try Digests.sha1Hex(bytes), try Digests.sha256Hex(bytes))
    }
  }

  /// Runs `read`; in tolerant mode (`problems` not nil) a field failure is noted and `fallback` returned.
  private static func tolerating<T>(_ problems: inout [String]?, _ fallback: T, _ read: () throws -> T) throws -> T {
    do {
      return try read()
    } catch let failure as X509FieldReader.Failure {
      guard problems != nil else { throw failure }
      problems?.append(failure.reason)
      OpenSSLErrorQueue.clear()
      return fallback
    }
  }

  /// Equal when the DER bytes are equal.
  public static func == (lhs: Certificate, rhs: Certificate) -> Bool {
    lhs.der == rhs.der
  }

  /// Hashes the SHA-256 fingerprint (derived from the DER).
  public func hash(into hasher: inout Hasher) {
    hasher.combine(sha256Fingerprint)
  }
}
