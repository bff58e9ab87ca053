/// The kinds of private key `PrivateKey.generate` can create.
public enum KeyKind: Sendable, Hashable {
  /// RSA with the given modulus size.
  case rsa(bits: Int)
  /// ECDSA on NIST P-256.
  case ecP256
  /// ECDSA on NIST P-384.
  case ecP384
  /// Ed25519.
  case ed25519
}
