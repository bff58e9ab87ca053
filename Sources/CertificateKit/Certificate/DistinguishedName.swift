/// An X.509 distinguished name (subject or issuer) as OpenSSL renders it.
public struct DistinguishedName: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The RFC 4514 string, most specific attribute first (e.g. `CN=example.com,O=Example`), UTF-8 kept as is.
  public let rfc4514: String
  /// The last (most specific) common name attribute, if any.
  public let commonName: String?

  /// Creates a name from its parts (normally done by `Certificate`).
  public init(rfc4514: String, commonName: String?) {
    self.rfc4514 = rfc4514
    self.commonName = commonName
  }

  /// The RFC 4514 string.
  public var description: String { rfc4514 }
}
