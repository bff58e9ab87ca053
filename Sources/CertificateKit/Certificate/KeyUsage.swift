/// The X.509 key usage extension bits (RFC 5280 section 4.2.1.3).
public struct KeyUsage: OptionSet, Sendable, Hashable, Codable {
  /// The raw bit mask; bit 0 is digitalSignature.
  public let rawValue: UInt16

  /// Creates a key usage from its raw bit mask.
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  /// digitalSignature (bit 0).
  public static let digitalSignature = KeyUsage(rawValue: 1 << 0)
  /// nonRepudiation / contentCommitment (bit 1).
  public static let contentCommitment = KeyUsage(rawValue: 1 << 1)
  /// keyEncipherment (bit 2).
  public static let keyEncipherment = KeyUsage(rawValue: 1 << 2)
  /// dataEncipherment (bit 3).
  public static let dataEncipherment = KeyUsage(rawValue: 1 << 3)
  /// keyAgreement (bit 4).
  public static let keyAgreement = KeyUsage(rawValue: 1 << 4)
  /// keyCertSign (bit 5).
  public static let keyCertSign = KeyUsage(rawValue: 1 << 5)
  /// cRLSign (bit 6).
  public static let cRLSign = KeyUsage(rawValue: 1 << 6)
  /// encipherOnly (bit 7).
  public static let encipherOnly = KeyUsage(rawValue: 1 << 7)
  /// decipherOnly (bit 8).
  public static let decipherOnly = KeyUsage(rawValue: 1 << 8)

  /// Bit names in bit order, as used in `names`.
  static let bitNames: [String] = [
    "digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment", "keyAgreement",
    "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
  ]

  /// The names of the set bits, in bit order (e.g. `["digitalSignature", "keyEncipherment"]`).
  public var names: [String] {
    KeyUsage.bitNames.enumerated().compactMap { index, name in
      rawValue & (1 << UInt16(index)) != 0 ? name : nil
    }
  }
}
