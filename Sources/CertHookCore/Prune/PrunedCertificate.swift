import CertificateKit
import Foundation

/// A CAS upload considered for deletion.
public struct PrunedCertificate: Codable, Sendable, Equatable {
  /// What happened to it.
  public enum Outcome: String, Codable, Sendable {
    /// Deleted.
    case deleted
    /// Would be deleted (dry run).
    case planned
    /// Deletion failed; see `error`.
    case failed
  }

  /// CAS numeric ID.
  public var certId: Int
  /// CAS name.
  public var name: String
  /// End of validity.
  public var notAfter: Date?
  /// Outcome.
  public var outcome: Outcome
  /// Error text for `failed`.
  public var error: String?
}
