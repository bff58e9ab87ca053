import Foundation

/// `GetUserCertificateDetail`. `certIdentifier` is the authoritative ALB certificate ID; the key PEM
/// never appears in `description`.
public struct UserCertificateDetail: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
  /// CAS certificate ID.
  public var id: Int
  /// Certificate name.
  public var name: String
  /// Common name (`Common`).
  public var commonName: String?
  /// SANs, split from the comma list (empty-safe).
  public var sans: [String]
  /// SHA-256 of the leaf DER, uppercase hex.
  public var sha2: String?
  /// SHA-1 of the leaf DER, uppercase hex.
  public var fingerprint: String?
  /// Serial number, lowercase hex.
  public var serialNo: String?
  /// Issuer name.
  public var issuer: String?
  /// Validity start.
  public var notBefore: Date?
  /// Validity end.
  public var notAfter: Date?
  /// Whether CAS considers it expired.
  public var expired: Bool
  /// The ALB certificate ID, `<CertId>-<region>`, exactly as CAS returned it.
  public var certIdentifier: String
  /// Key algorithm, e.g. `RSA` or `ECC`.
  public var algorithm: String?
  /// The certificate PEM (leaf first), when requested.
  public var certificatePEM: String?
  /// The private key PEM, when requested; never logged.
  public var privateKeyPEM: String?

  /// Creates a value.
  public init(
    id: Int, name: String, commonName: String? = nil, sans: [String] = [], sha2: String? = nil,
    fingerprint: String? = nil, serialNo: String? = nil, issuer: String? = nil, notBefore: Date? = nil,
    notAfter: Date? = nil, expired: Bool = false, certIdentifier: String, algorithm: String? = nil,
    certificatePEM: String? = nil, privateKeyPEM: String? = nil
  ) {
    self.id = id
    self.name = name
    self.commonName = commonName
    self.sans = sans
    self.sha2 = sha2
    self.fingerprint = fingerprint
    self.serialNo = serialNo
    self.issuer = issuer
    self.notBefore = notBefore
    self.notAfter = notAfter
    self.expired = expired
    self.certIdentifier = certIdentifier
    self.algorithm = algorithm
    self.certificatePEM = certificatePEM
    self.privateKeyPEM = privateKeyPEM
  }

  /// A summary without PEMs.
  public var description: String {
    "UserCertificateDetail(id: \(id), name: \(name), certIdentifier: \(certIdentifier), commonName: \(commonName ?? "-"), "
      + "sha2: \(sha2 ?? "-"), privateKey: \(privateKeyPEM == nil ? "none" : "<redacted>"))"
  }

  /// Same as `description`.
  public var debugDescription: String { description }

  init(json: JSONValue) {
    self.init(
      id: json["Id"]?.int ?? 0, name: json["Name"]?.string ?? "", commonName: CASFields.nonEmpty(json["Common"]),
      sans: CASFields.splitSans(json["Sans"]?.string), sha2: CASFields.nonEmpty(json["Sha2"]),
      fingerprint: CASFields.nonEmpty(json["Fingerprint"]), serialNo: CASFields.nonEmpty(json["SerialNo"]),
      issuer: CASFields.nonEmpty(json["Issuer"]),
      notBefore: CASFields.millis(json["NotBefore"]) ?? CASFields.parseDay(json["StartDate"]?.string),
      notAfter: CASFields.millis(json["NotAfter"]) ?? CASFields.parseDay(json["EndDate"]?.string),
      expired: json["Expired"]?.bool ?? false, certIdentifier: json["CertIdentifier"]?.string ?? "",
      algorithm: CASFields.nonEmpty(json["Algorithm"]), certificatePEM: CASFields.nonEmpty(json["Cert"]),
      privateKeyPEM: CASFields.nonEmpty(json["Key"]))
  }
}
