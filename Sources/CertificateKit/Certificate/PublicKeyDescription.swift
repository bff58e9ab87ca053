/// The kind of public key algorithm.
public enum KeyAlgorithm: Sendable, Hashable, Codable, CustomStringConvertible {
  /// RSA (also RSA-PSS keys).
  case rsa
  /// Elliptic curve (ECDSA / ECDH) keys.
  case ec
  /// Ed25519.
  case ed25519
  /// Ed448.
  case ed448
  /// DSA.
  case dsa
  /// Anything else, named by OpenSSL's short name or dotted OID.
  case other(String)

  /// A short display name: `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA` or the other name.
  public var description: String {
    switch self {
    case .rsa: return "RSA"
    case .ec: return "EC"
    case .ed25519: return "Ed25519"
    case .ed448: return "Ed448"
    case .dsa: return "DSA"
    case .other(let name): return name
    }
  }
}

/// What a public key is: algorithm, size and curve.
public struct PublicKeyDescription: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The key algorithm.
  public let algorithm: KeyAlgorithm
  /// The key size in bits as OpenSSL reports it (RSA modulus bits, curve degree, 256 for Ed25519, 456 for Ed448).
  public let bits: Int
  /// The curve name for EC keys (`P-256`, `P-384`, `P-521`, or OpenSSL's short name such as `secp256k1`).
  public let curve: String?

  /// Creates a description from its parts.
  public init(algorithm: KeyAlgorithm, bits: Int, curve: String?) {
    self.algorithm = algorithm
    self.bits = bits
    self.curve = curve
  }

  /// E.g. `RSA 2048`, `EC P-256`, `Ed25519`; an algorithm whose size is unknown (0) by its name alone
  /// (`ML-DSA-44`, `1.3.6.1.4.1.2.3`).
  public var description: String {
    switch algorithm {
    case .ec: return "EC \(curve ?? "\(bits) bits")"
    case .ed25519, .ed448: return algorithm.description
    default: return bits > 0 ? "\(algorithm) \(bits)" : algorithm.description
    }
  }
}
