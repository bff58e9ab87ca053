import Foundation

/// A CLB HTTPS listener as `DescribeLoadBalancerHTTPSListenerAttribute` (SLB 2014-05-15) reports it: named by its
/// load balancer and port, with a default server certificate and the domain extensions that bind one server
/// certificate per extra domain.
///
/// Rule it keeps: certificate IDs here are SLB server-certificate IDs, never CAS IDs; the XML-style wrapped
/// `DomainExtensions.DomainExtension[]` is decoded (a bare array too).
public struct CLBHTTPSListener: Sendable, Equatable, Codable {
  /// The CLB instance ID, e.g. `lb-...`.
  public var loadBalancerId: String
  /// The listening port.
  public var port: Int
  /// `running`, `stopped`, ...
  public var status: String
  /// The default server certificate, if any.
  public var serverCertificateId: String?
  /// The CA certificate for mutual TLS, if any.
  public var caCertificateId: String?
  /// The domain extensions (SNI certificates).
  public var domainExtensions: [CLBDomainExtension]

  /// Creates a value.
  public init(
    loadBalancerId: String, port: Int, status: String, serverCertificateId: String?, caCertificateId: String? = nil,
    domainExtensions: [CLBDomainExtension]
  ) {
    self.loadBalancerId = loadBalancerId
    self.port = port
    self.status = status
    self.serverCertificateId = serverCertificateId
    self.caCertificateId = caCertificateId
    self.domainExtensions = domainExtensions
  }

  /// `<load balancer ID>:<port>`, the listener's name in certhook's plans and the emulator's state.
  public var id: String { "\(loadBalancerId):\(port)" }

  init(json: JSONValue, loadBalancerId: String, port: Int) {
    self.init(
      loadBalancerId: json["LoadBalancerId"]?.string ?? loadBalancerId, port: json["ListenerPort"]?.int ?? port,
      status: json["Status"]?.string ?? "", serverCertificateId: CASFields.nonEmpty(json["ServerCertificateId"]),
      caCertificateId: CASFields.nonEmpty(json["CACertificateId"]),
      domainExtensions: json["DomainExtensions"].wrappedList("DomainExtension").map(CLBDomainExtension.init(json:)))
  }
}

extension Optional where Wrapped == JSONValue {
  /// The items of an SLB list wrapped XML-style (`{"ServerCertificate": [...]}`), or of a bare array; none when
  /// absent.
  func wrappedList(_ inner: String) -> [JSONValue] {
    guard let self else { return [] }
    if case .array(let items) = self { return items }
    return self[inner]?.array ?? []
  }
}
