import Foundation

extension CertificateFactory {
  /// What to put into a certificate.
  public struct Request: Sendable {
    /// The subject common name.
    public var commonName: String
    /// DNS name SANs (wildcards allowed).
    public var dnsNames: [String]
    /// IP address SANs (IPv4 or IPv6 literals).
    public var ipAddresses: [String]
    /// Email SANs.
    public var emailAddresses: [String]
    /// URI SANs.
    public var uris: [String]
    /// Start of validity (any year 1...9999).
    public var notBefore: Date
    /// End of validity (any year 1...9999).
    public var notAfter: Date
    /// Sets basic constraints CA:TRUE (the extension is always written, critical).
    public var isCA: Bool
    /// The basic constraints path length (CA only).
    public var pathLength: Int?
    /// Extended key usages by name (`serverAuth`, ...) or dotted OID; nil omits the extension.
    public var extendedKeyUsages: [String]?
    /// Key usage; nil picks a default (CA: keyCertSign+cRLSign+digitalSignature; leaf: digitalSignature,
    /// plus keyEncipherment for RSA keys); an empty set omits the extension.
    public var keyUsage: KeyUsage?
    /// The serial number bytes (big-endian); nil derives 16 bytes from the request and the key.
    public var serialNumber: [UInt8]?
    /// An optional organization (O) attribute.
    public var organization: String?

    /// Creates a request; only the common name and validity are required.
    public init(
      commonName: String, dnsNames: [String] = [], ipAddresses: [String] = [], emailAddresses: [String] = [],
      uris: [String] = [], notBefore: Date, notAfter: Date, isCA: Bool = false, pathLength: Int? = nil,
      extendedKeyUsages: [String]? = ["serverAuth"], keyUsage: KeyUsage? = nil, serialNumber: [UInt8]? = nil,
      organization: String? = nil
    ) {
      self.commonName = commonName
      self.dnsNames = dnsNames
      self.ipAddresses = ipAddresses
      self.emailAddresses = emailAddresses
      self.uris = uris
      self.notBefore = notBefore
      self.notAfter = notAfter
      self.isCA = isCA
      self.pathLength = pathLength
      self.extendedKeyUsages = extendedKeyUsages
      self.keyUsage = keyUsage
      self.serialNumber = serialNumber
      self.organization = organization
    }
  }
}
