import Foundation

/// The contents of the state cache: what certhook uploaded and attached. CAS stays the source of truth.
public struct StateSnapshot: Sendable, Codable, Equatable {
  /// Format version of the file.
  public var version: Int
  /// Certificates known in CAS, keyed by the uppercase SHA-256 of the leaf DER.
  public var certificates: [String: CertificateRecord]
  /// Facts about remote certificates (SANs, expiry), keyed by ALB certificate ID (`<CertId>-<region>`).
  public var remote: [String: RemoteCertificate]
  /// Certificates certhook last saw attached per listener.
  public var listeners: [String: ListenerRecord]

  /// An empty state.
  public init() {
    version = 1
    certificates = [:]
    remote = [:]
    listeners = [:]
  }
}

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

/// What certhook last attached to a listener.
public struct ListenerRecord: Sendable, Codable, Equatable {
  /// Certificate IDs attached after the last change.
  public var certificateIds: [String]
  /// When that change finished.
  public var updatedAt: Date

  /// Creates a record.
  public init(certificateIds: [String], updatedAt: Date) {
    self.certificateIds = certificateIds
    self.updatedAt = updatedAt
  }
}
