import Foundation

/// An ALB listener as the engine sees it.
public struct CloudListener: Sendable, Codable, Equatable, Hashable {
  /// Listener ID (`lsr-...`).
  public var id: String
  /// Owning load balancer ID (`alb-...`).
  public var loadBalancerId: String
  /// `HTTP`, `HTTPS` or `QUIC`.
  public var listenerProtocol: String
  /// Listening port.
  public var port: Int
  /// `Running`, `Configuring`, `Provisioning` or `Stopped`.
  public var status: String
  /// The default certificate's ALB ID, when known.
  public var defaultCertificateId: String?

  /// Creates a listener value.
  public init(
    id: String, loadBalancerId: String, listenerProtocol: String, port: Int, status: String,
    defaultCertificateId: String? = nil
  ) {
    self.id = id
    self.loadBalancerId = loadBalancerId
    self.listenerProtocol = listenerProtocol
    self.port = port
    self.status = status
    self.defaultCertificateId = defaultCertificateId
  }

  /// True for listeners that carry certificates (HTTPS, QUIC).
  public var carriesCertificates: Bool {
    let p = listenerProtocol.uppercased()
    return p == "HTTPS" || p == "QUIC"
  }
}

/// A server certificate attached to a listener.
public struct CloudListenerCertificate: Sendable, Codable, Equatable, Hashable {
  /// ALB certificate ID (`<CertId>-<region>`).
  public var certificateId: String
  /// True for the listener's default certificate.
  public var isDefault: Bool
  /// `Associating`, `Associated`, `Diassociating`/`Dissociating`.
  public var status: String

  /// Creates a value.
  public init(certificateId: String, isDefault: Bool, status: String) {
    self.certificateId = certificateId
    self.isDefault = isDefault
    self.status = status
  }

  /// True while being removed (either spelling).
  public var isDissociating: Bool {
    status.lowercased().hasSuffix("ssociating") && status.lowercased() != "associating"
  }
}

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
