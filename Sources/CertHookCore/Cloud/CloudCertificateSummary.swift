import Foundation

/// A CAS certificate from a list call (fields may be empty: never decide coverage from them).
public struct CloudCertificateSummary: Sendable, Codable, Equatable {
  /// CAS numeric ID.
  public var certId: Int
  /// CAS name.
  public var name: String
  /// Common name, when given.
  public var commonName: String?
  /// SANs as listed (may be empty even when the certificate has SANs).
  public var sans: [String]
  /// Uppercase SHA-256 of the leaf DER (`Sha2`), when given.
  public var sha256: String?
  /// Expiry, when given.
  public var notAfter: Date?
  /// CAS's expired flag, when given.
  public var expired: Bool?

  /// Creates a value.
  public init(
    certId: Int, name: String, commonName: String? = nil, sans: [String] = [], sha256: String? = nil,
    notAfter: Date? = nil, expired: Bool? = nil
  ) {
    self.certId = certId
    self.name = name
    self.commonName = commonName
    self.sans = sans
    self.sha256 = sha256
    self.notAfter = notAfter
    self.expired = expired
  }
}
