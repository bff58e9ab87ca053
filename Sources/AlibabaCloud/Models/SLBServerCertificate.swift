import Foundation

/// An SLB server certificate (`UploadServerCertificate`, `DescribeServerCertificates`): what CLB listeners and
/// domain extensions reference, created in the listener's region, often as a copy of a CAS certificate.
///
/// Rule it keeps: the answer never carries PEM or key, and the value holds neither; `fingerprint` is SLB's
/// lowercase colon-separated SHA-1, unlike CAS's.
public struct SLBServerCertificate: Sendable, Equatable, Codable {
  /// The server certificate ID.
  public var id: String
  /// Its name (1-80 characters).
  public var name: String
  /// Lowercase colon-separated SHA-1 of the leaf (`68:08:1a:...`).
  public var fingerprint: String
  /// The leaf's common name.
  public var commonName: String
  /// The leaf's subject alternative names (decoded from `SubjectAlternativeNames.SubjectAlternativeName[]`).
  public var subjectAlternativeNames: [String]
  /// Expiry (`ExpireTimeStamp`, else `ExpireTime`).
  public var expireTime: Date?
  /// Creation (`CreateTimeStamp`, else `CreateTime`).
  public var createTime: Date?
  /// Whether it is a copy of a CAS certificate (`IsAliCloudCertificate` 1).
  public var isAliCloudCertificate: Bool
  /// The CAS certificate it was copied from, when the answer names it (nil for a PEM upload).
  public var aliCloudCertificateId: String?
  /// The CAS certificate's name, when copied from CAS.
  public var aliCloudCertificateName: String?
  /// The region it lives in.
  public var regionId: String?

  /// Creates a value.
  public init(
    id: String, name: String, fingerprint: String, commonName: String, subjectAlternativeNames: [String],
    expireTime: Date?, createTime: Date?, isAliCloudCertificate: Bool, aliCloudCertificateId: String? = nil,
    aliCloudCertificateName: String? = nil, regionId: String? = nil
  ) {
    self.id = id
    self.name = name
    self.fingerprint = fingerprint
    self.commonName = commonName
    self.subjectAlternativeNames = subjectAlternativeNames
    self.expireTime = expireTime
    self.createTime = createTime
    self.isAliCloudCertificate = isAliCloudCertificate
    self.aliCloudCertificateId = aliCloudCertificateId
    self.aliCloudCertificateName = aliCloudCertificateName
    self.regionId = regionId
  }

  init(json: JSONValue) {
    let isCAS = json["IsAliCloudCertificate"]?.bool ?? false
    self.init(
      id: json["ServerCertificateId"]?.string ?? "", name: json["ServerCertificateName"]?.string ?? "",
      fingerprint: json["Fingerprint"]?.string ?? "", commonName: json["CommonName"]?.string ?? "",
      subjectAlternativeNames: json["SubjectAlternativeNames"].wrappedList("SubjectAlternativeName").compactMap(
        \.string),
      expireTime: CASFields.millis(json["ExpireTimeStamp"]) ?? CASFields.parseDay(json["ExpireTime"]?.string),
      createTime: CASFields.millis(json["CreateTimeStamp"]) ?? CASFields.parseDay(json["CreateTime"]?.string),
      isAliCloudCertificate: isCAS,
      aliCloudCertificateId: isCAS ? CASFields.nonEmpty(json["AliCloudCertificateId"]) : nil,
      aliCloudCertificateName: isCAS ? CASFields.nonEmpty(json["AliCloudCertificateName"]) : nil,
      regionId: CASFields.nonEmpty(json["RegionId"]))
  }
}
