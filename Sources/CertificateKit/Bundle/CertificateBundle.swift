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

  /// Largest certificate, chain or key file read: real ones are a few kilobytes, and a hook must not
  /// spend its time limit (or the machine's memory) on a huge file.
  public static let maxFileBytes = 16 * 1024 * 1024

  /// Reads a whole regular file; errors name the path and say what is wrong with it (missing, a
  /// directory, a symlink loop, a FIFO or device, too large) instead of a generic I/O failure.
  static func readFile(_ path: String) throws -> [UInt8] {
    switch FileSystemCall.status(path, followLinks: true) {
    case .failure(let failure):
      throw CertificateKitError.unreadableFile(path: path, reason: failure.message)
    case .success(let info):
      if FileSystemCall.isDirectory(info) {
        throw CertificateKitError.unreadableFile(path: path, reason: "is a directory, not a file")
      }
      guard FileSystemCall.isRegular(info) else {
        throw CertificateKitError.unreadableFile(path: path, reason: "not a regular file (a fifo, socket or device)")
      }
      guard Int(info.st_size) <= maxFileBytes else {
        throw CertificateKitError.unreadableFile(
          path: path, reason: "\(info.st_size) bytes is too large for a certificate or key file (limit 16 MiB)")
      }
    }
    do {
      return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
      throw CertificateKitError.unreadableFile(path: path, reason: reason.lowercased())
    }
  }
}
