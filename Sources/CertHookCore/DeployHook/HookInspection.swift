import CertificateKit
import Foundation

/// What inspecting a renewed certificate needs besides the configuration: the time it is judged at, the expiry
/// policy and acme.sh's home. No cloud session: a refused certificate is refused before any account is called.
public struct HookInspection: Sendable {
  /// When the certificate is judged.
  public var now: Date
  /// The warning and critical windows.
  public var policy: CheckPolicy
  /// acme.sh's home, for `acmeShDomain` sources that name none.
  public var acmeShHome: String?

  /// Creates the inspection settings.
  public init(now: Date, policy: CheckPolicy, acmeShHome: String?) {
    self.now = now
    self.policy = policy
    self.acmeShHome = acmeShHome
  }
}
