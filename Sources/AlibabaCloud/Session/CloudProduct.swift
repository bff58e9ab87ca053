import Foundation

/// One Alibaba Cloud product certhook drives: its name, API version, endpoint variable and default endpoint.
///
/// Adding a product (NLB, GA, CLB) is one `extension CloudProduct { static let ... }` next to its client, plus a
/// `CloudSession` accessor; the session resolves its endpoint by the same rules as every other product.
public struct CloudProduct: Sendable, Hashable, CustomStringConvertible {
  /// Short lowercase name, e.g. `alb`; also the configuration's `endpoints.<name>` key.
  public let name: String
  /// The API version, e.g. `2020-06-16`.
  public let version: String
  /// The environment variable that overrides the endpoint, e.g. `CERTHOOK_ALB_ENDPOINT`.
  public var endpointVariable: String { "CERTHOOK_\(name.uppercased())_ENDPOINT" }
  private let defaultHost: @Sendable (_ region: String) -> String

  /// Creates a product; `defaultHost` gives the public endpoint host for a region.
  public init(name: String, version: String, defaultHost: @escaping @Sendable (_ region: String) -> String) {
    self.name = name
    self.version = version
    self.defaultHost = defaultHost
  }

  /// The public endpoint for `region` (which must be a valid region id).
  public func defaultEndpoint(region: String) throws -> URL {
    try ClientConfiguration.validateRegion(region)
    let text = "https://\(defaultHost(region))"
    guard let url = URL(string: text) else { throw AlibabaCloudError.configuration("cannot build endpoint url \(text)") }
    return url
  }

  /// The upper-case name, e.g. `ALB`.
  public var description: String { name.uppercased() }

  /// Products are equal when their names are.
  public static func == (lhs: CloudProduct, rhs: CloudProduct) -> Bool { lhs.name == rhs.name }

  /// Hashes the name.
  public func hash(into hasher: inout Hasher) { hasher.combine(name) }

  /// Application Load Balancer.
  public static let alb = CloudProduct(name: "alb", version: ALBClient.version) { "alb.\($0).aliyuncs.com" }
  /// SSL Certificates Service: one endpoint for the mainland, one for everywhere else.
  public static let cas = CloudProduct(name: "cas", version: CASClient.version) {
    $0.hasPrefix("cn-") ? "cas.aliyuncs.com" : "cas.ap-southeast-1.aliyuncs.com"
  }
}
