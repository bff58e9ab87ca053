import Foundation

/// A CLB instance as `DescribeLoadBalancerAttribute` (SLB 2014-05-15) reports it: its status and its listeners by
/// port and protocol, and the address clients reach it at.
///
/// Rule it keeps: every listener of the instance is listed, whatever its protocol, with the protocol in uppercase
/// (`HTTPS`, `HTTP`, `TCP`, `UDP`; the service writes lowercase); the service's misspelled
/// `ListenerPortsAndProtocal.ListenerPortAndProtocal[] {ListenerProtocal}` is read when the correct form is absent.
public struct CLBLoadBalancer: Sendable, Equatable, Codable {
  /// One listener: a port and its protocol.
  public struct Listener: Sendable, Equatable, Codable, Hashable {
    /// The listening port.
    public var port: Int
    /// `HTTPS`, `HTTP`, `TCP` or `UDP`.
    public var `protocol`: String

    /// Creates a value.
    public init(port: Int, protocol: String) {
      self.port = port
      self.protocol = `protocol`
    }
  }

  /// The instance ID, e.g. `lb-...`.
  public var id: String
  /// `active`, `inactive` or `locked`.
  public var status: String
  /// The listeners, by port.
  public var listeners: [Listener]
  /// The service address clients connect to (`Address`: a public or private IP, CLB has no DNS name), nil when
  /// the API gave none.
  public var address: String?

  /// Creates a value.
  public init(id: String, status: String, listeners: [Listener], address: String? = nil) {
    self.id = id
    self.status = status
    self.listeners = listeners
    self.address = address
  }

  init(json: JSONValue, loadBalancerId: String) {
    var items = json["ListenerPortsAndProtocol"].wrappedList("ListenerPortAndProtocol").compactMap { item in
      Self.listener(item, protocolKey: "ListenerProtocol")
    }
    if items.isEmpty {
      items = json["ListenerPortsAndProtocal"].wrappedList("ListenerPortAndProtocal").compactMap { item in
        Self.listener(item, protocolKey: "ListenerProtocal")
      }
    }
    var seen = Set<Listener>()
    self.init(
      id: json["LoadBalancerId"]?.string ?? loadBalancerId, status: json["LoadBalancerStatus"]?.string ?? "",
      listeners: items.filter { seen.insert($0).inserted }.sorted { ($0.port, $0.protocol) < ($1.port, $1.protocol) },
      address: json["Address"]?.string.flatMap { $0.isEmpty ? nil : $0 })
  }

  private static func listener(_ item: JSONValue, protocolKey: String) -> Listener? {
    guard let port = item["ListenerPort"]?.int, let name = item[protocolKey]?.string, !name.isEmpty else { return nil }
    return Listener(port: port, protocol: name.uppercased())
  }
}
