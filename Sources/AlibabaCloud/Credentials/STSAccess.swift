import Foundation

/// How credential providers reach STS: the endpoint rule, and the session's configuration (clock, randomness,
/// limiter, logger, user agent) and transport.
///
/// Endpoint rule, as the official credentials SDK has it: an explicit override (the session's STS endpoint: flag,
/// `CERTHOOK_STS_ENDPOINT`, `endpoints.sts`, or the emulator on loopback) wins; else the profile's `sts_region`, else
/// `ALIBABA_CLOUD_STS_REGION`, gives `https://sts.<region>.aliyuncs.com` (`sts-vpc.` with `enable_vpc` or
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`); else `https://sts.aliyuncs.com`.
public struct STSAccess: Sendable {
  /// The endpoint every role assumption uses, when one was named or the emulator is in use.
  public let override: URL?
  /// The configuration the STS clients share with the session.
  public let configuration: ClientConfiguration
  /// The transport.
  public let transport: any HTTPTransport
  /// The environment (STS region, VPC switch).
  public let environment: SessionEnvironment

  /// Creates the access.
  public init(
    override: URL?, configuration: ClientConfiguration, transport: any HTTPTransport, environment: SessionEnvironment
  ) {
    self.override = override
    self.configuration = configuration
    self.transport = transport
    self.environment = environment
  }

  /// The endpoint for a provider configured with `stsRegion` / `enableVPC` (nil: the environment decides).
  public func endpoint(stsRegion: String? = nil, enableVPC: Bool? = nil) throws -> URL {
    if let override { return override }
    let prefix = (enableVPC ?? environment.vpcEndpointEnabled) ? "sts-vpc" : "sts"
    let region = stsRegion.flatMap { $0.isEmpty ? nil : $0 } ?? environment.stsRegion
    guard let region else { return try STSClient.defaultEndpoint(region: nil) }
    try ClientConfiguration.validateRegion(region)
    let text = "https://\(prefix).\(region).aliyuncs.com"
    guard let url = URL(string: text) else { throw AlibabaCloudError.configuration("cannot build endpoint url \(text)") }
    return url
  }

  /// An STS client signing with `credentials` (nil: an anonymous client for `AssumeRoleWithOIDC`).
  public func client(
    credentials: any CredentialProvider, stsRegion: String? = nil, enableVPC: Bool? = nil
  ) throws -> STSClient {
    try STSClient(
      endpoint: endpoint(stsRegion: stsRegion, enableVPC: enableVPC), configuration: configuration,
      credentials: credentials, transport: transport)
  }
}
