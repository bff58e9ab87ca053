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

  /// Creates a deployment.
  public init(
    name: String, source: CertificateSource? = nil, domains: [String], targets: [DeploymentTarget],
    mode: DeploymentMode = .additional, replace: ReplacePolicy = .covered
  ) {
    self.name = name
    self.source = source
    self.domains = domains
    self.targets = targets
    self.mode = mode
    self.replace = replace
  }
}

/// How a certificate is placed on a listener.
public enum DeploymentMode: String, Sendable, Codable, Equatable {
  /// Associate as an additional (SNI) certificate; the default certificate is never touched.
  case additional
  /// Replace the listener's default certificate.
  case `default`
}

/// Which certificates a new one retires.
public enum ReplacePolicy: String, Sendable, Codable, Equatable {
  /// Retire older certificates whose every SAN is covered by the new one.
  case covered
  /// Retire nothing.
  case none
}

/// A deployment target: one listener, or every HTTPS/QUIC listener of a load balancer.
public enum DeploymentTarget: Sendable, Codable, Equatable, Hashable {
  /// A single listener by ID.
  case listener(String)
  /// All HTTPS and QUIC listeners of a load balancer, optionally filtered.
  case loadBalancer(String, protocols: [String]?, ports: [Int]?)

  /// A short label for messages.
  public var label: String {
    switch self {
    case .listener(let id): return id
    case .loadBalancer(let id, _, _): return id
    }
  }
}

/// Where a deployment's certificate lives on disk.
public enum CertificateSource: Sendable, Codable, Equatable {
  /// A certbot lineage directory (`/etc/letsencrypt/live/NAME`).
  case certbotLineage(String)
  /// An acme.sh domain, with an optional acme.sh home (default `~/.acme.sh` resolved by the caller).
  case acmeShDomain(String, home: String?)
  /// Explicit files.
  case files(certificate: String, key: String, chain: String?)
  /// Any renewed certificate covering the deployment's domains (same as no source).
  case domainMatch
}
