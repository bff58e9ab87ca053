import CertificateKit
import Foundation

/// The one rule that decides whether a new certificate supersedes an attached one.
///
/// Superseded = not the default certificate (unless mode `default`), SANs known, every SAN covered by the new
/// certificate, expiring earlier. Nothing else ever retires a certificate.
public enum Supersession {
  /// The verdict for one attached certificate.
  public enum Verdict: Equatable, Sendable {
    /// Retire it, with the reason.
    case superseded(String)
    /// Leave it, with a note worth showing (nil = unrelated, nothing to say).
    case keep(String?)
  }

  /// Decides for `old` (attached to `listenerId`) against `new`.
  public static func judge(
    old: RemoteCertificate, isDefault: Bool, new: MappedCertificate, mode: DeploymentMode, listenerId: String
  ) -> Verdict {
    if old.identifier == new.identifier { return .keep(nil) }
    guard old.namesKnown else {
      switch old.namesSource {
      case "error":
        return .keep("left \(listenerId) cert \(old.identifier) alone: its CAS details could not be read")
      case "not-in-cas":
        return .keep(
          "left \(listenerId) cert \(old.identifier) alone: CAS does not know it (another account or region?)")
      default:
        return .keep("left \(listenerId) cert \(old.identifier) alone: CAS returned no SANs for it")
      }
    }
    let covered = old.dnsNames.allSatisfy { HostnameMatcher.isCovered($0, by: new.dnsNames) }
    guard covered else { return .keep(nil) }
    guard let oldEnd = old.notAfter, let newEnd = new.notAfter else {
      return .keep("left \(listenerId) cert \(old.identifier) alone: its expiry is unknown")
    }
    guard oldEnd < newEnd else {
      return .keep(
        "left \(listenerId) cert \(old.identifier) alone: it covers the same names but does not expire earlier")
    }
    if isDefault && mode == .additional {
      return .keep(
        "left \(listenerId) default cert \(old.identifier) alone: mode additional never touches the default certificate"
      )
    }
    let names = old.dnsNames.joined(separator: ", ")
    return .superseded("every SAN (\(names)) is covered by the new certificate, which expires later")
  }
}
