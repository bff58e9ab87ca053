import Foundation

/// `GetListenerAttribute`: the listener plus its default certificate.
public struct ListenerAttribute: Sendable, Equatable, Codable {
  /// The listener's basic fields.
  public var listener: Listener
  /// The default certificate's ALB ID (`<CertId>-<region>`), if any.
  public var defaultCertificateId: String?
  /// The TLS security policy ID, if reported.
  public var securityPolicyId: String?

  /// Creates an attribute value.
  public init(listener: Listener, defaultCertificateId: String?, securityPolicyId: String? = nil) {
    self.listener = listener
    self.defaultCertificateId = defaultCertificateId
    self.securityPolicyId = securityPolicyId
  }

  /// Listener ID.
  public var id: String { listener.id }
  /// Listener status.
  public var status: String { listener.status }

  init(json: JSONValue) {
    let certs = json["Certificates"]?.array ?? []
    self.init(
      listener: Listener(json: json),
      defaultCertificateId: certs.first?["CertificateId"]?.string.flatMap { $0.isEmpty ? nil : $0 },
      securityPolicyId: json["SecurityPolicyId"]?.string)
  }
}
