import Foundation

/// One certificate from `ListUserCertificateOrder`. `sans` may be empty even when the certificate
/// has SANs (CAS does not always fill it): never decide supersession from it.
public struct UserCertificateSummary: Sendable, Equatable, Codable {
  /// CAS certificate ID (`CertificateId`).
  public var certificateId: Int
  /// Resource/instance ID (`InstanceId`).
  public var instanceId: String?
  /// Certificate name.
  public var name: String
  /// Common name.
  public var commonName: String?
  /// SANs (split from the comma list; empty when CAS left it empty).
  public var sans: [String]
  /// SHA-1 of the leaf DER, 40 uppercase hex.
  public var fingerprint: String?
  /// SHA-256 of the leaf DER, 64 uppercase hex.
  public var sha2: String?
  /// Serial number, lowercase hex (maybe zero-padded).
  public var serialNo: String?
  /// Issuer name.
  public var issuer: String?
  /// Validity start (from `StartDate`, day precision).
  public var startDate: Date?
  /// Validity end (from `EndDate`, day precision).
  public var endDate: Date?
  /// Whether CAS considers it expired.
  public var expired: Bool
  /// Whether it was uploaded (vs. bought).
  public var upload: Bool?
  /// Resource group.
  public var resourceGroupId: String?

  /// Creates a value.
  public init(
    certificateId: Int, instanceId: String? = nil, name: String, commonName: String? = nil, sans: [String] = [],
    fingerprint: String? = nil, sha2: String? = nil, serialNo: String? = nil, issuer: String? = nil,
    startDate: Date? = nil, endDate: Date? = nil, expired: Bool = false, upload: Bool? = nil,
    resourceGroupId: String? = nil
  ) {
    self.certificateId = certificateId
    self.instanceId = instanceId
    self.name = name
    self.commonName = commonName
    self.sans = sans
    self.fingerprint = fingerprint
    self.sha2 = sha2
    self.serialNo = serialNo
    self.issuer = issuer
    self.startDate = startDate
    self.endDate = endDate
    self.expired = expired
    self.upload = upload
    self.resourceGroupId = resourceGroupId
  }

  init(json: JSONValue) {
    self.init(
      certificateId: json["CertificateId"]?.int ?? 0, instanceId: CASFields.nonEmpty(json["InstanceId"]),
      name: json["Name"]?.string ?? "", commonName: CASFields.nonEmpty(json["CommonName"]),
      sans: CASFields.splitSans(json["Sans"]?.string), fingerprint: CASFields.nonEmpty(json["Fingerprint"]),
      sha2: CASFields.nonEmpty(json["Sha2"]), serialNo: CASFields.nonEmpty(json["SerialNo"]),
      issuer: CASFields.nonEmpty(json["Issuer"]), startDate: CASFields.parseDay(json["StartDate"]?.string),
      endDate: CASFields.parseDay(json["EndDate"]?.string), expired: json["Expired"]?.bool ?? false,
      upload: json["Upload"]?.bool, resourceGroupId: CASFields.nonEmpty(json["ResourceGroupId"]))
  }
}
