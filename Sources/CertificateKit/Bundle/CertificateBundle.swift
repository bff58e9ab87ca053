import Foundation

/// A deployable leaf certificate with its chain and (optionally) its private key, loaded from files.
public struct CertificateBundle: Sendable {
  /// The leaf certificate (first in the certificate file).
  public let leaf: Certificate
  /// Every certificate after the leaf, in file order (then those from the chain file).
  public let chain: [Certificate]
  /// The private key, from `keyPath` or from the certificate file itself (lego's `.pem`).
  public let key: PrivateKey?
  /// The certificate file the bundle came from.
  public let certificatePath: String

  /// Creates a bundle from parts.
  public init(leaf: Certificate, chain: [Certificate], key: PrivateKey?, certificatePath: String) {
    self.leaf = leaf
    self.chain = chain
    self.key = key
    self.certificatePath = certificatePath
  }

  /// Loads a certificate file (a single certificate, a fullchain with the leaf first, or lego's `.pem`
  /// with certificates then the key), an optional key file and an optional separate chain file.
  ///
  /// When `keyPath` is nil the key is taken from the certificate file if it holds one.
  public static func load(certificatePath: String, keyPath: String?, chainPath: String? = nil) throws
    -> CertificateBundle
  {
    let certificateBytes = try readFile(certificatePath)
    let certificates = try Certificate.parseAll(certificateBytes, source: certificatePath)
    guard let leaf = certificates.first else { throw CertificateKitError.noCertificate(source: certificatePath) }
    var chain = Array(certificates.dropFirst())
    if let chainPath {
      chain += try Certificate.parseAll(try readFile(chainPath), source: chainPath)
    }
    var key: PrivateKey? = nil
    if let keyPath {
      key = try PrivateKey(pem: try readFile(keyPath), source: keyPath)
    } else {
      do {
        key = try PrivateKey(pem: certificateBytes, source: certificatePath)
      } catch CertificateKitError.noPrivateKey {
        key = nil
      }
    }
    return CertificateBundle(leaf: leaf, chain: chain, key: key, certificatePath: certificatePath)
  }

  /// The leaf then the chain as PEM, without self-issued roots (what CAS `UploadUserCertificate` takes).
  public var uploadCertificatePEM: String {
    ([leaf] + chain.filter { !$0.isSelfIssued }).map(\.pem).joined()
  }

  /// All certificates, leaf first.
  public var certificates: [Certificate] { [leaf] + chain }

  /// Largest certificate, chain or key file read (``CertificateFile/maxBytes``, shared with `inspect` and
  /// `scan`).
  public static let maxFileBytes = CertificateFile.maxBytes

  /// Reads a file through ``CertificateFile/read(_:)``.
  static func readFile(_ path: String) throws -> [UInt8] {
    try CertificateFile.read(path)
  }
}
