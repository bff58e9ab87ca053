import Foundation

/// One deployment: a certificate source, the domains it must cover, and where it goes.
public struct Deployment: Sendable, Codable, Equatable {
  /// Unique, human-readable name.
  public var name: String
  /// Where the certificate comes from; nil matches any renewed certificate covering `domains`.
  public var source: CertificateSource?
  /// Domains the certificate must cover (checked against its SANs).
  public var domains: [String]
  /// Listeners and load balancers to deploy to.
  public var targets: [DeploymentTarget]
  /// Whether the certificate is added as an additional (SNI) certificate or replaces the default.
  public var mode: DeploymentMode
  /// Which older certificates are retired.
  public var replace: ReplacePolicy
  /// `verify: tls`: prove by handshake that the new certificate is served before retiring anything.
  public var verify: ServingVerification? = nil

  /// Creates a deployment.
  public init(
    name: String, source: CertificateSource? = nil, domains: [String], targets: [DeploymentTarget],
    mode: DeploymentMode = .additional, replace: ReplacePolicy = .covered, verify: ServingVerification? = nil
  ) {
    self.name = name
    self.source = source
    self.domains = domains
    self.targets = targets
    self.mode = mode
    self.replace = replace
    self.verify = verify
  }
}
