import Foundation

/// A CLB domain extension: one extra domain of an HTTPS listener and the server certificate that serves it.
///
/// Rule it keeps: one server certificate per domain; a renewal swaps it in place (`SetDomainExtensionAttribute`).
public struct CLBDomainExtension: Sendable, Equatable, Codable {
  /// The extension ID, e.g. `de-...`.
  public var id: String
  /// The domain.
  public var domain: String
  /// The SLB server certificate serving it.
  public var serverCertificateId: String

  /// Creates a value.
  public init(id: String, domain: String, serverCertificateId: String) {
    self.id = id
    self.domain = domain
    self.serverCertificateId = serverCertificateId
  }

  init(json: JSONValue) {
    self.init(
      id: json["DomainExtensionId"]?.string ?? "", domain: json["Domain"]?.string ?? "",
      serverCertificateId: json["ServerCertificateId"]?.string ?? "")
  }
}
