import Foundation

/// An NLB listener as `ListListeners` or `GetListenerAttribute` (2022-04-30) reports it.
///
/// Rule it keeps: `certificateIds` is what the API calls `CertificateIds`, the one default certificate (never the
/// additional ones, which only `ListListenerCertificates` lists); only `TCPSSL` listeners take certificates.
public struct NLBListener: Sendable, Equatable, Codable {
  /// ID, load balancer, protocol (`TCP`, `UDP`, `TCPSSL`), port, status and description.
  public var listener: Listener
  /// The default certificate (at most one, `<CertId>-<region>`).
  public var certificateIds: [String]
  /// CA certificates for mutual TLS.
  public var caCertificateIds: [String]
  /// The TLS security policy ID, empty for a listener without TLS.
  public var securityPolicyId: String?

  /// Creates a value.
  public init(
    listener: Listener, certificateIds: [String], caCertificateIds: [String] = [], securityPolicyId: String? = nil
  ) {
    self.listener = listener
    self.certificateIds = certificateIds
    self.caCertificateIds = caCertificateIds
    self.securityPolicyId = securityPolicyId
  }

  /// Listener ID, e.g. `lsn-...`.
  public var id: String { listener.id }
  /// The listening port.
  public var port: Int { listener.port }
  /// `TCP`, `UDP` or `TCPSSL`.
  public var `protocol`: String { listener.protocol }
  /// The NLB instance ID, e.g. `nlb-...`.
  public var loadBalancerId: String { listener.loadBalancerId }
  /// `Provisioning`, `Running`, `Configuring`, `Stopping`, `Stopped`, `Starting`, `Deleting` or `Deleted`.
  public var status: String { listener.status }
  /// The default certificate, if any.
  public var defaultCertificateId: String? { certificateIds.first }
  /// Whether the listener can carry certificates (`TCPSSL`).
  public var acceptsCertificates: Bool { listener.protocol.uppercased() == "TCPSSL" }

  init(json: JSONValue) {
    self.init(
      listener: Listener(json: json),
      certificateIds: (json["CertificateIds"]?.array ?? []).compactMap { $0.string }.filter { !$0.isEmpty },
      caCertificateIds: (json["CaCertificateIds"]?.array ?? []).compactMap { $0.string }.filter { !$0.isEmpty },
      securityPolicyId: json["SecurityPolicyId"]?.string)
  }
}
