import Foundation

/// One deployment in `certhook status`: the certificate it would deploy, its CAS identity and every target
/// listener with what it serves now. Converged only when every listener already serves it and nothing failed.
public struct DeploymentStatus: Codable, Sendable, Equatable {
  /// Where a deployment (or a listener) stands.
  public enum State: String, Codable, Sendable, CaseIterable {
    /// Every target serves the certificate; a `sync` would change nothing.
    case converged
    /// A `sync` would upload or change something.
    case pending
    /// The certificate is unusable, a target is missing, or something could not be read.
    case failing
  }

  /// The deployment's name.
  public var name: String
  /// Converged, pending or failing.
  public var state: State
  /// The local certificate file it deploys; nil for a source-less deployment (newest in CAS) or unreadable files.
  public var certificatePath: String?
  /// Uppercase SHA-256 of the leaf, when known.
  public var sha256: String?
  /// The names the certificate covers.
  public var names: [String]
  /// End of validity, when known.
  public var notAfter: Date?
  /// ALB certificate ID (`CertIdentifier`); nil when CAS does not have the certificate yet ("not uploaded").
  public var casIdentifier: String?
  /// Every target listener.
  public var listeners: [ListenerStatus]
  /// Why the deployment is failing (certificate refused, target missing...).
  public var problems: [String]

  /// Creates a value.
  public init(
    name: String, state: State, certificatePath: String? = nil, sha256: String? = nil, names: [String] = [],
    notAfter: Date? = nil, casIdentifier: String? = nil, listeners: [ListenerStatus] = [], problems: [String] = []
  ) {
    self.name = name
    self.state = state
    self.certificatePath = certificatePath
    self.sha256 = sha256
    self.names = names
    self.notAfter = notAfter
    self.casIdentifier = casIdentifier
    self.listeners = listeners
    self.problems = problems
  }
}
