import Foundation

/// A local certificate's CAS identity.
public struct CertificateRecord: Sendable, Codable, Equatable {
  /// CAS numeric certificate ID.
  public var certId: Int
  /// ALB certificate ID (`CertIdentifier`, e.g. `123-cn-hangzhou`), exactly as CAS returned it.
  public var identifier: String
  /// CAS name.
  public var name: String
  /// Leaf notAfter.
  public var notAfter: Date?
  /// True when certhook uploaded it (prune may delete it once expired and unused).
  public var uploadedByCerthook: Bool
  /// When it was recorded.
  public var recordedAt: Date?

  /// Creates a record.
  public init(
    certId: Int, identifier: String, name: String, notAfter: Date?, uploadedByCerthook: Bool, recordedAt: Date?
  ) {
    self.certId = certId
    self.identifier = identifier
    self.name = name
    self.notAfter = notAfter
    self.uploadedByCerthook = uploadedByCerthook
    self.recordedAt = recordedAt
  }
}
