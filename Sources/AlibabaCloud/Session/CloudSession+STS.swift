import Foundation

extension CloudProduct {
  /// Security Token Service: one global endpoint (a regional one through `CERTHOOK_STS_ENDPOINT`).
  public static let sts = CloudProduct(name: "sts", version: STSClient.version) { _ in "sts.aliyuncs.com" }
}

extension CloudSession {
  /// The STS client that names the caller's account, never retrying (`STSClient`).
  ///
  /// Endpoint rule: an explicit STS endpoint (flag, `CERTHOOK_STS_ENDPOINT`, `endpoints.sts`) wins; else a
  /// loopback CAS endpoint (the emulator serves STS too); else the public `sts.aliyuncs.com`. Nil when that
  /// endpoint cannot be used, so callers fall back to the AccessKeyId.
  public func sts() -> STSClient? {
    let endpoint: URL
    if let explicit = stsEndpointOverride {
      endpoint = explicit
    } else if let cas = Self.loopback(endpoints[.cas]) {
      endpoint = cas
    } else if let fallback = try? CloudProduct.sts.defaultEndpoint(region: region) {
      endpoint = fallback
    } else {
      return nil
    }
    return try? STSClient(endpoint: endpoint, configuration: configuration, credentials: credentials, transport: transport)
  }
}
