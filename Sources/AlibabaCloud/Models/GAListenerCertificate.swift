import Foundation

/// A certificate on a Global Accelerator listener, from `ListListenerCertificates`: the default one, or an
/// additional one bound to a domain.
///
/// Rule it keeps: an additional certificate always names its domain (one certificate per domain); the default one
/// has none.
public struct GAListenerCertificate: Sendable, Equatable, Codable {
  /// `default` or `additional` (the API's `Role`).
  public enum Role: String, Sendable, Equatable, Codable {
    /// The listener's default certificate.
    case `default`
    /// A certificate bound to one domain.
    case additional
  }

  /// The certificate ID (`<CertId>-<region>`).
  public var certificateId: String
  /// The bound domain (nil for the default certificate).
  public var domain: String?
  /// True for the listener's default certificate.
  public var isDefault: Bool
  /// `active`, or `updating` while a binding is being added or swapped.
  public var state: String

  /// Creates a value.
  public init(certificateId: String, domain: String?, isDefault: Bool, state: String) {
    self.certificateId = certificateId
    self.domain = domain
    self.isDefault = isDefault
    self.state = state
  }

  /// Whether the binding is `active`.
  public var isActive: Bool { state.lowercased() == "active" }

  init(json: JSONValue) {
    let isDefault = json["IsDefault"]?.bool ?? false
    self.init(
      certificateId: json["CertificateId"]?.string ?? "",
      domain: isDefault ? nil : json["Domain"]?.string.flatMap { $0.isEmpty ? nil : $0 }, isDefault: isDefault,
      state: json["State"]?.string ?? "")
  }
}
