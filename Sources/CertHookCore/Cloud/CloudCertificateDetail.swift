import Foundation

/// A CAS certificate's detail.
public struct CloudCertificateDetail: Sendable, Codable, Equatable {
  /// CAS numeric ID.
  public var certId: Int
  /// ALB certificate ID exactly as CAS returns it (`CertIdentifier`); never rebuilt by certhook.
  public var identifier: String
  /// CAS name.
  public var name: String
  /// Common name, when given.
  public var commonName: String?
  /// SANs field (may be empty: prefer the PEM).
  public var sans: [String]
  /// Uppercase SHA-256 of the leaf DER, when given.
  public var sha256: String?
  /// Start of validity, when given.
  public var notBefore: Date?
  /// End of validity, when given.
  public var notAfter: Date?
  /// The certificate PEM (leaf first), when returned.
  public var certificatePEM: String?

  /// Creates a value.
  public init(
    certId: Int, identifier: String, name: String, commonName: String? = nil, sans: [String] = [],
    sha256: String? = nil, notBefore: Date? = nil, notAfter: Date? = nil, certificatePEM: String? = nil
  ) {
    self.certId = certId
    self.identifier = identifier
    self.name = name
    self.commonName = commonName
    self.sans = sans
    self.sha256 = sha256
    self.notBefore = notBefore
    self.notAfter = notAfter
    self.certificatePEM = certificatePEM
  }
}
