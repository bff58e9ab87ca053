import Foundation

/// Where a deployment's source keeps its files.
public enum SourceLocator {
  /// Paths of one certificate on disk.
  public struct Files: Sendable, Equatable {
    /// Certificate (leaf or full chain) path.
    public var certificate: String
    /// Key path.
    public var key: String?
    /// Chain path, when separate.
    public var chain: String?
  }

  /// The files of a source; nil for sources without files (`domainMatch`).
  /// `fileExists` decides between acme.sh's `<domain>_ecc` and `<domain>` directories.
  public static func files(for source: CertificateSource, acmeShHome: String?, fileExists: (String) -> Bool) -> Files? {
    switch source {
    case .certbotLineage(let dir):
      let d = trimmed(dir)
      return Files(certificate: d + "/cert.pem", key: d + "/privkey.pem", chain: d + "/chain.pem")
    case .acmeShDomain(let domain, let home):
      let base = trimmed(home ?? acmeShHome ?? "~/.acme.sh")
      let ecc = "\(base)/\(domain)_ecc"
      let dir = fileExists("\(ecc)/\(domain).cer") ? ecc : "\(base)/\(domain)"
      return Files(certificate: "\(dir)/\(domain).cer", key: "\(dir)/\(domain).key", chain: "\(dir)/ca.cer")
    case .files(let cert, let key, let chain):
      return Files(certificate: cert, key: key, chain: chain)
    case .domainMatch:
      return nil
    }
  }

  static func trimmed(_ path: String) -> String {
    var p = path
    while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
    return p
  }

  /// Normalises a path for comparison (resolves `.`/`..` and a trailing slash, not symlinks).
  static func normalized(_ path: String) -> String {
    (trimmed(path) as NSString).standardizingPath
  }
}
