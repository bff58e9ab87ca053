import Foundation

/// The cached facts of one `StateScope` (CAS endpoint, account): what certhook uploaded and attached.
///
/// CAS stays the source of truth: every fact here is checked against what the cloud returns before it is used.
public struct StateSnapshot: Sendable, Codable, Equatable {
  /// Format version of these facts.
  public var version: Int
  /// Certificates known in CAS, keyed by the uppercase SHA-256 of the leaf DER.
  public var certificates: [String: CertificateRecord]
  /// Facts about remote certificates (SANs, expiry), keyed by ALB certificate ID (`<CertId>-<region>`).
  public var remote: [String: RemoteCertificate]
  /// Certificates certhook last saw attached per listener.
  public var listeners: [String: ListenerRecord]

  /// An empty state.
  public init() {
    version = 2
    certificates = [:]
    remote = [:]
    listeners = [:]
  }
}
