import Foundation

/// A Global Accelerator instance as `DescribeAccelerator` reports it: what a writer waits on, since the service
/// locks the whole accelerator while a listener change is applied.
///
/// Rule it keeps: only `active` (any case) means "free for the next write".
public struct GAAccelerator: Sendable, Equatable, Codable {
  /// The accelerator ID, e.g. `ga-...`.
  public var id: String
  /// `active`, `configuring`, `binding`, `unbinding`, `deleting`, `finacialLocked` (sic), ...
  public var state: String
  /// The accelerator's DNS name, when reported.
  public var dnsName: String?

  /// Creates a value.
  public init(id: String, state: String, dnsName: String? = nil) {
    self.id = id
    self.state = state
    self.dnsName = dnsName
  }

  /// Whether the accelerator is `active`.
  public var isActive: Bool { state.lowercased() == "active" }

  init(json: JSONValue, id: String) {
    self.init(
      id: json["AcceleratorId"]?.string ?? id, state: json["State"]?.string ?? "",
      dnsName: json["DnsName"]?.string.flatMap { $0.isEmpty ? nil : $0 })
  }
}
