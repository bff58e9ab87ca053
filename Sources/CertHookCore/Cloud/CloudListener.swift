import Foundation

/// A listener of any product as the engine sees it: keys as `ListenerProduct` writes them, status in ALB's words.
public struct CloudListener: Sendable, Codable, Equatable, Hashable {
  /// Listener key (`lsr-...`, `nlb:lsn-...`, `ga:ga-.../lsr-...`, `clb:lb-...:443`).
  public var id: String
  /// Owning load balancer key (`alb-...`, `nlb:nlb-...`, `ga:ga-...`, `clb:lb-...`).
  public var loadBalancerId: String
  /// `HTTP`, `HTTPS`, `QUIC`, `TCPSSL`, `TCP`, `UDP`.
  public var listenerProtocol: String
  /// Listening port.
  public var port: Int
  /// `Running`, `Configuring`, `Provisioning` or `Stopped`.
  public var status: String
  /// The default certificate's ALB ID, when known.
  public var defaultCertificateId: String?

  /// Creates a listener value.
  public init(
    id: String, loadBalancerId: String, listenerProtocol: String, port: Int, status: String,
    defaultCertificateId: String? = nil
  ) {
    self.id = id
    self.loadBalancerId = loadBalancerId
    self.listenerProtocol = listenerProtocol
    self.port = port
    self.status = status
    self.defaultCertificateId = defaultCertificateId
  }

  /// The product the listener belongs to.
  public var product: ListenerProduct { ListenerProduct(key: id) }

  /// True for listeners that carry certificates on their product (ALB HTTPS and QUIC, NLB TCPSSL, GA and CLB
  /// HTTPS).
  public var carriesCertificates: Bool {
    product.certificateProtocols.contains(listenerProtocol.uppercased())
  }
}
