import Foundation

/// A product's client over one `AcsRPCClient` whose every call names one region (`RegionId`): NLB and CLB.
///
/// Rule it keeps: the RPC client speaks the product's API version and the region is a valid region ID, both
/// checked once, here, for every such client; a client made from a configuration reaches the product's endpoint
/// (or the override, https or loopback http only).
public protocol RegionalProductClient: Sendable {
  /// The product of the table (`ApiAction`) whose version the RPC client must speak.
  static var apiProduct: ApiAction.Product { get }
  /// The product's endpoints.
  static var cloudProduct: CloudProduct { get }
  /// How a mismatch names the client, e.g. `an NLB client`.
  static var clientDescription: String { get }
  /// Stores an RPC client and region already checked by `init(rpc:region:)`.
  init(checkedRPC rpc: AcsRPCClient, region: String)
}

extension RegionalProductClient {
  /// A client over `rpc` (for example `CloudSession.rpc(for:)`), which must speak the product's version; `region`
  /// defaults to the configuration's.
  public init(rpc: AcsRPCClient, region: String? = nil) throws {
    try rpc.require(Self.apiProduct, for: Self.clientDescription)
    let region = region ?? rpc.configuration.region
    try ClientConfiguration.validateRegion(region)
    self.init(checkedRPC: rpc, region: region)
  }

  /// A client for `endpoint` (https, or http to loopback only), else the product's endpoint for the region.
  public init(
    configuration: ClientConfiguration, credentials: any CredentialProvider, transport: any HTTPTransport,
    endpoint: URL? = nil
  ) throws {
    try self.init(
      rpc: .forProduct(
        Self.cloudProduct, endpoint: endpoint, configuration: configuration, credentials: credentials,
        transport: transport))
  }
}
