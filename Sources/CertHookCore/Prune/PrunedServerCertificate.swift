import Foundation

/// A CLB server certificate certhook created, considered by `certhook prune`.
public struct PrunedServerCertificate: Codable, Sendable, Equatable {
  /// What happened to it.
  public enum Outcome: String, Codable, Sendable {
    /// Deleted.
    case deleted
    /// Would be deleted (dry run).
    case planned
    /// Kept: the API said a listener this run did not read still uses it (`CertificateAndPrivateKeyIsRefered`).
    case inUse
    /// Deletion failed; see `error`.
    case failed
  }

  /// The `ServerCertificateId`.
  public var id: String
  /// Its name (`certhook-…`).
  public var name: String
  /// The region it lives in.
  public var region: String
  /// The CAS certificate it was copied from, when it is a copy.
  public var casCertificateId: Int?
  /// End of validity.
  public var notAfter: Date?
  /// Outcome.
  public var outcome: Outcome
  /// Error text for `failed` and `inUse`.
  public var error: String?
}
