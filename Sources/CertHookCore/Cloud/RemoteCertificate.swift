import Foundation

/// What the engine knows about a certificate attached somewhere (from CAS detail, PEM preferred).
public struct RemoteCertificate: Sendable, Codable, Equatable {
  /// ALB certificate ID.
  public var identifier: String
  /// CAS numeric ID, when known.
  public var certId: Int?
  /// CAS name, when known.
  public var name: String?
  /// Common name, when known.
  public var commonName: String?
  /// DNS names the certificate covers; empty when unknown.
  public var dnsNames: [String]
  /// Where `dnsNames` came from: `pem`, `cas-sans`; or why they are missing: `unknown` (CAS gave none),
  /// `not-in-cas`, `error` (the lookup failed). Without names the certificate is never touched.
  public var namesSource: String
  /// End of validity, when known.
  public var notAfter: Date?
  /// Uppercase SHA-256 of the leaf, when known.
  public var sha256: String?

  /// Creates a value.
  public init(
    identifier: String, certId: Int?, name: String?, commonName: String?, dnsNames: [String], namesSource: String,
    notAfter: Date?, sha256: String?
  ) {
    self.identifier = identifier
    self.certId = certId
    self.name = name
    self.commonName = commonName
    self.dnsNames = dnsNames
    self.namesSource = namesSource
    self.notAfter = notAfter
    self.sha256 = sha256
  }

  /// True when the SANs are known (from the PEM or a non-empty CAS field).
  public var namesKnown: Bool { (namesSource == "pem" || namesSource == "cas-sans") && !dnsNames.isEmpty }

  /// The CAS numeric ID parsed from an ALB certificate ID (`123-cn-hangzhou` -> 123), for detail lookups only.
  public static func casId(fromIdentifier identifier: String) -> Int? {
    let prefix = identifier.split(separator: "-", maxSplits: 1).first.map(String.init) ?? identifier
    return Int(prefix)
  }
}
