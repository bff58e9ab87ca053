import Foundation

/// `--resolve HOST:ADDRESS` overrides (like curl's, without a port) and `--port-offset`: where a
/// probe connects instead of the DNS name and listener port.
public struct ProbeResolution: Sendable, Equatable {
  /// Host (lowercased) -> address.
  public var addresses: [String: String]
  /// Added to every listener port.
  public var portOffset: Int

  /// Creates a resolution.
  public init(addresses: [String: String] = [:], portOffset: Int = 0) {
    self.addresses = Dictionary(addresses.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
    self.portOffset = portOffset
  }

  /// Parses `HOST:ADDRESS` items; the address may be IPv6 (`host:[::1]` or `host:::1`).
  public static func parse(_ items: [String], portOffset: Int) throws -> ProbeResolution {
    var addresses: [String: String] = [:]
    for item in items {
      guard let colon = item.firstIndex(of: ":") else {
        throw ProbeFailure("--resolve '\(item)': expected HOST:ADDRESS, e.g. alb-1.cn-hangzhou.alb.aliyuncs.com:127.0.1.1")
      }
      let host = String(item[..<colon])
      var address = String(item[item.index(after: colon)...])
      if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
      guard !host.isEmpty, !address.isEmpty else {
        throw ProbeFailure("--resolve '\(item)': expected HOST:ADDRESS with both parts non-empty")
      }
      addresses[host.lowercased()] = address
    }
    return ProbeResolution(addresses: addresses, portOffset: portOffset)
  }

  /// The address to connect to for `host`.
  public func address(for host: String) -> String {
    addresses[host.lowercased()] ?? host
  }
}
