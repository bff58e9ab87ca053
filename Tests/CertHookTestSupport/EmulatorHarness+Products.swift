import AlibabaCloud
import Foundation

/// The NLB, GA and CLB clients on a harness's emulator, clock, limiter and transport (issue 13).
extension EmulatorHarness {
  public var clientCredentials: StaticCredentialProvider {
    StaticCredentialProvider(AccessCredentials(accessKeyId: "testid", accessKeySecret: "testsecret"))
  }

  /// An NLB client on this emulator (the harness's configuration: clock, limiter, metrics, retry policy).
  public func nlbClient(configuration: ClientConfiguration? = nil) throws -> NLBClient {
    try NLBClient(
      configuration: configuration ?? self.configuration, credentials: clientCredentials, transport: transport,
      endpoint: server.endpoint)
  }

  /// A Global Accelerator client on this emulator.
  public func gaClient(configuration: ClientConfiguration? = nil) throws -> GAClient {
    try GAClient(
      configuration: configuration ?? self.configuration, credentials: clientCredentials, transport: transport,
      endpoint: server.endpoint)
  }

  /// A CLB (SLB API) client on this emulator.
  public func slbClient(configuration: ClientConfiguration? = nil) throws -> SLBClient {
    try SLBClient(
      configuration: configuration ?? self.configuration, credentials: clientCredentials, transport: transport,
      endpoint: server.endpoint)
  }
}
