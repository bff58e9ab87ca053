import CertificateKit
import Foundation

/// Keys that are the same on every run, so certificates signed with RSA (PKCS#1 v1.5) or Ed25519, whose
/// signatures are deterministic, come out byte-identical. Test-only keys: they protect nothing.
enum DeterministicKeys {
  /// An Ed25519 key from a 32-byte seed derived from `tag` (PKCS#8 DER built around the seed).
  static func ed25519(_ tag: UInt8) throws -> PrivateKey {
    let prefix: [UInt8] = [
      0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    let seed = (0..<32).map { UInt8(truncatingIfNeeded: Int(tag) * 31 + $0 * 7 + 1) }
    return try PrivateKey(pem: prefix + seed, source: "ed25519-seed")
  }

  /// A P-256 key from a fixed scalar derived from `tag` (SEC1 DER without the public key; OpenSSL derives it).
  static func p256(_ tag: UInt8) throws -> PrivateKey {
    let scalar: [UInt8] = [0x01] + (1..<32).map { UInt8(truncatingIfNeeded: Int(tag) * 13 + $0 * 11 + 5) }
    let der: [UInt8] =
      [0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20] + scalar
      + [0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
    return try PrivateKey(pem: der, source: "p256-scalar")
  }

  /// A fixed RSA-2048 key, made once with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`.
  static func rsa() throws -> PrivateKey {
    try PrivateKey(pem: Array(rsaPEM.utf8), source: "fixed-rsa")
  }

  static let rsaPEM = """
    -----BEGIN PRIVATE KEY-----
    MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCmoaneIsI1pn7G
    nP/pMnBvAyNzZas4PjDBsusnOw4kwzmTqEAaBA5koxWAcIXfgFomItYF1oz9gw02
    tnJvhQF2yAefwN27yhs31WtjVISLYVZxiwC/wWZSHNDvSlzUHV1NX5btM6vyAO6X
    EtaFGulIoBkhHdF/u+LJUtX929YRrwrz62BHioZBbPBb/mDqxRsKBfLtdy8/+NSG
    gGrFHd2O2Vb3gUGkquhxqkX7aNt/6hMuHr5w9ih2oQDs74z//ouMBUu3IDAhQ4E8
    bJLN6qG5PK8gptk3qbAuW5UEUFSdXisiocR0Jw82nbC7sEtseMeDcdHk8LBpHE1k
    sq4J1kcJAgMBAAECggEAAadoIrrQl6y75GfJiHyGLivnTa1sKiY/4KRQfjaxWL8R
    UrxgSoHQzMHrpDc5tPK2sls1KaCsDJYg6vKbpyy4S4AHx1eoO8VxSLgXFUjQ+fsw
    2vaovr6CL/12O3HPAxH5i5uPyXHyWngU5i37MB4Iw75HEZOUsUJhqWLnmdn1QX6p
    rh+XUTFXaKsP2rYYZUxQODmiQL1VDkiU5RqaECTUdbXrUPFxkMWxuh5nmTDFuf20
    pQdiTofGf7UG1gSAZGhl9H1F7ZTYuWJioArhtQaxn3XEZuM2sRLry0JH4WoQrNcz
    +jLJETho5NmrH8hLPFmZGmoAdmIAry/6c9xGwy4YAQKBgQDehFiT6nL5QKf4TMgI
    pGXNWcAlgADIHItrhnD66KtdKzP9xZdMdyw3fhA8vqFYVIUvjRqB6a+9PgK2obIn
    Uz7+AWyGFjkm52PCyWdxsJKY3rqaRToYgzPaz09un+bH8bAVmVSoOqQpawOM1TYf
    NOG2u8vfPKe973XkD+OM1/ZuAQKBgQC/tIiW7UNkEhjI7GdMgrLsqjr9GJ7SVVpz
    KMsXafffN53cTJKWchDklE/25nKKJk4CoGo6mCpE24kFmmfvc1+VEB1tupJNzvvg
    6auyXlFJIyj/i31yeTAIEUsP4iu6W9aw0/iXNGeAWwYtj7uwyN9+956E53ZgAJJJ
    H8mSWw5pCQKBgQDCoMoFXvz/rSD+WtJgVMNCkW0yn7qPTgBYpXguztIMpRxNrMWA
    uYAwbZBwQWFIrGzuQaJc3XS8tv+SlO4J3ZNsgvxUcB2/PIcSui1D0Oj402AuTbzZ
    8fCqQ8g7f5tRacHVso7MsrYiEBtD1L4JH60Js0tIUHp79HaOa6Nh7wf6AQKBgFsC
    kSndv/WdJckVekD3d4wlkNWhP50pSkSLpEccVsHQ/I+ehqUHx/9Mbd4QL2ZoovZa
    Q7RHkyGXe6h+UkN6aXEx8laqkVSBJFD1fj6yyjJHj+opxcd3wxbBZvpGbG4PtY/D
    Qiw+g7iK/hbZOsjFxFzZn5cG78rJ2qj+f0qNEf1JAoGBAIAhNzx/t3P9Tn4yFrgn
    UW4kdQ9YSEOanCIJjH9ozrJE/mtAjFix9C7Vh0DUjHU/oydZyL4P9EpUuG3sAWnX
    NUx/+ZfBcUwQD2LVjQPNBRaocL9C1QN84oFxv3dpddlvXZWSz5NiKm6rWHSKe4iJ
    L9I16Wh8rFfHT1a1HGE7KzWV
    -----END PRIVATE KEY-----
    """
}
