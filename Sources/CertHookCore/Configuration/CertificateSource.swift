import Foundation

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
