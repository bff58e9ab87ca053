import Foundation

/// Which URLs the clients may talk to: https anywhere, plain http only to loopback hosts.
public enum EndpointPolicy {
  /// True for 127.0.0.0/8, ::1 and localhost.
  public static func isLoopback(host: String) -> Bool {
    // Brackets trimmed from both ends (an IPv6 literal's), without Foundation's `CharacterSet` bridge: this runs
    // on every request.
    var h = Substring(host.lowercased())
    while let c = h.first, c == "[" || c == "]" { h = h.dropFirst() }
    while let c = h.last, c == "[" || c == "]" { h = h.dropLast() }
    if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
    let parts = h.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
    return parts[0] == "127"
  }

  /// Throws a configuration error unless `url` is https, or http to a loopback host (or one of
  /// `extraPlainHTTPHosts`, e.g. the ECS metadata address).
  public static func validate(_ url: URL, extraPlainHTTPHosts: Set<String> = []) throws {
    guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
      throw AlibabaCloudError.configuration("endpoint \(url.absoluteString) is not an absolute http(s) URL")
    }
    if let port = url.port, !(1...65535).contains(port) {
      throw AlibabaCloudError.configuration("endpoint \(url.absoluteString): port \(port) is out of range (1 to 65535)")
    }
    switch scheme {
    case "https":
      return
    case "http":
      if isLoopback(host: host) || extraPlainHTTPHosts.contains(host.lowercased()) { return }
      throw AlibabaCloudError.configuration(
        "endpoint \(url.absoluteString) uses plain http: only loopback hosts (127.0.0.0/8, ::1, localhost) may; use https")
    default:
      throw AlibabaCloudError.configuration("endpoint \(url.absoluteString) has unsupported scheme \(scheme); use https")
    }
  }
}
