import Foundation

/// Client for the Classic Load Balancer API (SLB 2014-05-15): HTTPS listeners named by load balancer and port, the
/// SLB server certificates they reference, and domain extensions (more-products spec section 3).
///
/// Rules it keeps: every call names the client's region (`RegionId`), where the listener and its server
/// certificates live; server certificates are made from a CAS certificate by reference (`AliCloudCertificateId`,
/// name, region), and a PEM certificate and key go out only through `uploadServerCertificate(certificatePEM:...)`,
/// in the query as the API requires, redacted from every log line and error (`SecretRedactor`); every change is
/// synchronous.
public struct SLBClient: RegionalProductClient {
  /// The API version.
  public static let version = ApiAction.Product.slb.version

  /// The underlying RPC client (version 2014-05-15).
  public let rpc: AcsRPCClient
  /// The region every call names (`RegionId`): the listener's.
  public let region: String

  /// The table's product: the RPC client must speak its version.
  public static let apiProduct = ApiAction.Product.slb
  /// The product's endpoints.
  public static let cloudProduct = CloudProduct.slb
  /// How a version mismatch names this client.
  public static let clientDescription = "a CLB client"

  /// Stores an RPC client and region checked by `init(rpc:region:)` (`RegionalProductClient`).
  public init(checkedRPC rpc: AcsRPCClient, region: String) {
    self.rpc = rpc
    self.region = region
  }

  // MARK: - Listeners

  /// The CLB instance `loadBalancerId` (`DescribeLoadBalancerAttribute`): its status and every listener by port and
  /// protocol.
  public func describeLoadBalancer(loadBalancerId: String) async throws -> CLBLoadBalancer {
    let json = try await rpc.call(
      "DescribeLoadBalancerAttribute", parameters: base([("LoadBalancerId", loadBalancerId)]))
    return CLBLoadBalancer(json: json, loadBalancerId: loadBalancerId)
  }

  /// The HTTPS listener on `port` of `loadBalancerId`: default server certificate and domain extensions.
  public func describeHTTPSListener(loadBalancerId: String, port: Int) async throws -> CLBHTTPSListener {
    let json = try await rpc.call(
      "DescribeLoadBalancerHTTPSListenerAttribute", parameters: listener(loadBalancerId, port))
    return CLBHTTPSListener(json: json, loadBalancerId: loadBalancerId, port: port)
  }

  /// Replaces the listener's default server certificate; a passing `dryRun` changes nothing.
  public func setHTTPSListenerServerCertificate(
    loadBalancerId: String, port: Int, serverCertificateId: String, dryRun: Bool = false
  ) async throws {
    var parameters = listener(loadBalancerId, port) + [("ServerCertificateId", serverCertificateId)]
    if dryRun { parameters.append(("DryRun", "true")) }
    _ = try await rpc.callAllowingDryRun(
      "SetLoadBalancerHTTPSListenerAttribute", parameters: parameters, dryRun: dryRun)
  }

  // MARK: - Server certificates

  /// Creates a server certificate in the client's region from CAS certificate `casCertificateId` (its numeric
  /// `CertId`), named `casCertificateName`, of CAS site `casRegion`; no PEM or key travels.
  public func uploadServerCertificate(
    casCertificateId: Int, casCertificateName: String, casRegion: String, name: String? = nil
  ) async throws -> SLBServerCertificate {
    var parameters = base([
      ("AliCloudCertificateId", String(casCertificateId)), ("AliCloudCertificateName", casCertificateName),
      ("AliCloudCertificateRegionId", casRegion),
    ])
    if let name { parameters.append(("ServerCertificateName", try Self.checkedName(name))) }
    return try await upload(parameters)
  }

  /// Uploads a PEM certificate (leaf first) and its private key as a server certificate. The API takes both in
  /// the URL query; the key never reaches a log line or an error (`SecretRedactor.secretParameterNames`). Prefer
  /// the CAS form.
  public func uploadServerCertificate(certificatePEM: String, privateKeyPEM: String, name: String? = nil)
    async throws -> SLBServerCertificate
  {
    var parameters = base([("ServerCertificate", certificatePEM), ("PrivateKey", privateKeyPEM)])
    if let name { parameters.append(("ServerCertificateName", try Self.checkedName(name))) }
    return try await upload(parameters)
  }

  /// The region's server certificates (all, or the given IDs).
  public func describeServerCertificates(serverCertificateIds: [String] = []) async throws -> [SLBServerCertificate] {
    var parameters = base([])
    if !serverCertificateIds.isEmpty {
      parameters.append(("ServerCertificateId", serverCertificateIds.joined(separator: ",")))
    }
    let json = try await rpc.call("DescribeServerCertificates", parameters: parameters)
    return json["ServerCertificates"].wrappedList("ServerCertificate").map(SLBServerCertificate.init(json:))
  }

  /// Deletes a server certificate (`CertificateAndPrivateKeyIsRefered` while a listener or extension uses it).
  public func deleteServerCertificate(serverCertificateId: String) async throws {
    _ = try await rpc.call("DeleteServerCertificate", parameters: base([("ServerCertificateId", serverCertificateId)]))
  }

  // MARK: - Domain extensions

  /// Binds `serverCertificateId` to `domain` on the listener; returns the new extension's ID.
  public func createDomainExtension(loadBalancerId: String, port: Int, domain: String, serverCertificateId: String)
    async throws -> String
  {
    let json = try await rpc.call(
      "CreateDomainExtension",
      parameters: listener(loadBalancerId, port) + [("Domain", domain), ("ServerCertificateId", serverCertificateId)])
    return try rpc.requiredField(json, "DomainExtensionId", action: "CreateDomainExtension")
  }

  /// The listener's domain extensions (all, or the one `domainExtensionId`).
  public func describeDomainExtensions(loadBalancerId: String, port: Int, domainExtensionId: String? = nil)
    async throws -> [CLBDomainExtension]
  {
    var parameters = listener(loadBalancerId, port)
    if let domainExtensionId { parameters.append(("DomainExtensionId", domainExtensionId)) }
    let json = try await rpc.call("DescribeDomainExtensions", parameters: parameters)
    return json["DomainExtensions"].wrappedList("DomainExtension").map(CLBDomainExtension.init(json:))
  }

  /// Swaps the server certificate of a domain extension in place.
  public func setDomainExtensionCertificate(domainExtensionId: String, serverCertificateId: String) async throws {
    _ = try await rpc.call(
      "SetDomainExtensionAttribute",
      parameters: base([("DomainExtensionId", domainExtensionId), ("ServerCertificateId", serverCertificateId)]))
  }

  /// Deletes a domain extension.
  public func deleteDomainExtension(domainExtensionId: String) async throws {
    _ = try await rpc.call("DeleteDomainExtension", parameters: base([("DomainExtensionId", domainExtensionId)]))
  }

  // MARK: - Helpers

  /// Longest `ServerCertificateName` the API accepts.
  public static let maxNameLength = 80

  static func checkedName(_ name: String) throws -> String {
    guard (1...maxNameLength).contains(name.count) else {
      throw AlibabaCloudError.configuration(
        "UploadServerCertificate: ServerCertificateName must be 1 to \(maxNameLength) characters, not \(name.count)")
    }
    return name
  }

  private func upload(_ parameters: [(String, String)]) async throws -> SLBServerCertificate {
    let json = try await rpc.call("UploadServerCertificate", parameters: parameters)
    _ = try rpc.requiredField(json, "ServerCertificateId", action: "UploadServerCertificate")
    return SLBServerCertificate(json: json)
  }

  private func base(_ parameters: [(String, String)]) -> [(String, String)] {
    [("RegionId", region)] + parameters
  }

  private func listener(_ loadBalancerId: String, _ port: Int) -> [(String, String)] {
    base([("LoadBalancerId", loadBalancerId), ("ListenerPort", String(port))])
  }
}
