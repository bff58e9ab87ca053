import Foundation

/// A certificate with its CAS identity: what the planner deploys.
public struct MappedCertificate: Sendable, Codable, Equatable {
  /// Placeholder ALB ID used in dry-run plans for a certificate that would be uploaded first.
  public static let pendingIdentifier = "(new upload)"

  /// ALB certificate ID (`CertIdentifier`), or `pendingIdentifier` in a dry run before upload.
  public var identifier: String
  /// CAS numeric ID, when known.
  public var certId: Int?
  /// CAS name (or the name it would get).
  public var name: String
  /// Uppercase SHA-256 of the leaf DER, when known.
  public var sha256: String?
  /// Common name, when known.
  public var commonName: String?
  /// DNS names (and IP addresses) the certificate covers.
  public var dnsNames: [String]
  /// Start of validity, when known.
  public var notBefore: Date?
  /// End of validity.
  public var notAfter: Date?
  /// True when this run uploaded it.
  public var wasUploaded: Bool
  /// True in a dry run when it would be uploaded.
  public var pendingUpload: Bool

  /// Creates a value.
  public init(
    identifier: String, certId: Int?, name: String, sha256: String?, commonName: String?, dnsNames: [String],
    notBefore: Date?, notAfter: Date?, wasUploaded: Bool = false, pendingUpload: Bool = false
  ) {
    self.identifier = identifier
    self.certId = certId
    self.name = name
    self.sha256 = sha256
    self.commonName = commonName
    self.dnsNames = dnsNames
    self.notBefore = notBefore
    self.notAfter = notAfter
    self.wasUploaded = wasUploaded
    self.pendingUpload = pendingUpload
  }
}
