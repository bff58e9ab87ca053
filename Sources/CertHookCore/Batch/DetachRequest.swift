import CertificateKit
import Foundation

/// What `certhook detach` asks for.
public struct DetachRequest: Sendable, Equatable {
  /// The certificate (files or an existing ID).
  public var certificate: CertificateReference
  /// Listener IDs.
  public var listeners: [String]
  /// Load balancer IDs (all their HTTPS and QUIC listeners).
  public var loadBalancers: [String]
  /// Print the plan and run the API prechecks only.
  public var dryRun: Bool

  /// Creates a request.
  public init(
    certificate: CertificateReference, listeners: [String] = [], loadBalancers: [String] = [], dryRun: Bool = false
  ) {
    self.certificate = certificate
    self.listeners = listeners
    self.loadBalancers = loadBalancers
    self.dryRun = dryRun
  }
}
