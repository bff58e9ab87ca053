import Foundation

/// Client for the Global Accelerator API (2019-11-20): HTTPS listeners whose additional certificates are bound per
/// domain, and the accelerator whose exclusive lock serializes every write (more-products spec section 2).
///
/// Rules it keeps: every call names `RegionId=cn-hangzhou` (GA's one API region, whatever the listener's); a
/// binding is `Certificates.N.Id` + `Certificates.N.Domain`, at most 10 per call (`Domains.N` to unbind, also 10);
/// between the calls of one split write it waits until the listener and the accelerator are `active` again, and a
/// write that still meets the lock (`StateError.Accelerator`) is retried per GA's row.
public struct GAClient: Sendable {
  /// The API version.
  public static let version = ApiAction.Product.ga.version
  /// The region every GA call names.
  public static let regionId = "cn-hangzhou"
  /// Most certificates (or domains) one call may carry.
  public static let maxCertificatesPerCall = 10
  /// `PageSize` of a ListListeners page (the API allows up to 50).
  public static let listenerPageSize = 50
  /// `MaxResults` of a ListListenerCertificates page (1-50).
  public static let certificatePageSize = 50

  /// One certificate bound to one domain.
  public struct Binding: Sendable, Equatable, Hashable {
    /// The domain the certificate serves.
    public var domain: String
    /// The certificate ID (`<CertId>-<region>`).
    public var certificateId: String

    /// Creates a binding.
    public init(domain: String, certificateId: String) {
      self.domain = domain
      self.certificateId = certificateId
    }
  }

  /// The underlying RPC client (version 2019-11-20).
  public let rpc: AcsRPCClient
  /// Pause between state checks while waiting for the accelerator between the calls of a split write.
  public var pollInterval: Duration
  /// Longest wait for the accelerator between the calls of a split write.
  public var waitTimeout: Duration

  /// A client over `rpc` (for example `CloudSession.rpc(for: .ga)`), which must speak GA's version.
  public init(rpc: AcsRPCClient, pollInterval: Duration = .seconds(1), waitTimeout: Duration = .seconds(180)) throws {
    try rpc.require(.ga, for: "a Global Accelerator client")
    self.rpc = rpc
    self.pollInterval = pollInterval
    self.waitTimeout = waitTimeout
  }

  /// A client for `endpoint` (https, or http to loopback only), else `ga.cn-hangzhou.aliyuncs.com`.
  public init(
    configuration: ClientConfiguration, credentials: any CredentialProvider, transport: any HTTPTransport,
    endpoint: URL? = nil
  ) throws {
    try self.init(
      rpc: .forProduct(
        .ga, endpoint: endpoint, configuration: configuration, credentials: credentials, transport: transport))
  }

  // MARK: - Reads

  /// Every listener (of `acceleratorId`, when given; of `protocol`, when given), all pages.
  public func listListeners(acceleratorId: String? = nil, protocol listenerProtocol: String? = nil) async throws
    -> [GAListener]
  {
    var result: [GAListener] = []
    var page = 1
    while true {
      var parameters = base([("PageNumber", String(page)), ("PageSize", String(Self.listenerPageSize))])
      if let acceleratorId { parameters.append(("AcceleratorId", acceleratorId)) }
      if let listenerProtocol { parameters.append(("Protocol", listenerProtocol)) }
      let json = try await rpc.call("ListListeners", parameters: parameters)
      let items = json["Listeners"]?.array ?? []
      result += items.map(GAListener.init(json:))
      let total = json["TotalCount"]?.int ?? 0
      if items.isEmpty || result.count >= total { return result }
      guard page < AcsRPCClient.maxPages else {
        throw AlibabaCloudError(
          kind: .invalidResponse, action: "ListListeners", product: .ga,
          message: "stopped after \(page) pages (\(result.count) of \(total) listeners): the listing does not end")
      }
      page += 1
    }
  }

  /// One listener, with its default certificate.
  public func describeListener(listenerId: String) async throws -> GAListener {
    GAListener(json: try await rpc.call("DescribeListener", parameters: base([("ListenerId", listenerId)])))
  }

  /// The certificates of a listener (all pages): `role` `.default`, `.additional`, or nil for both.
  public func listListenerCertificates(
    acceleratorId: String, listenerId: String, role: GAListenerCertificate.Role? = nil
  ) async throws -> [GAListenerCertificate] {
    var parameters = base([("AcceleratorId", acceleratorId), ("ListenerId", listenerId)])
    if let role { parameters.append(("Role", role.rawValue)) }
    return try await rpc.tokenPages(
      "ListListenerCertificates", parameters: parameters, listKey: "Certificates", pageSize: Self.certificatePageSize
    ).map(GAListenerCertificate.init(json:))
  }

  /// The accelerator and its state.
  public func describeAccelerator(acceleratorId: String) async throws -> GAAccelerator {
    let json = try await rpc.call("DescribeAccelerator", parameters: base([("AcceleratorId", acceleratorId)]))
    return GAAccelerator(json: json, id: acceleratorId)
  }

  // MARK: - Writes

  /// Binds certificates to domains, in calls of at most 10, waiting for the accelerator between calls; returns
  /// the number of calls made.
  @discardableResult
  public func associateAdditionalCertificates(
    acceleratorId: String, listenerId: String, bindings: [Binding], clientToken: String? = nil
  ) async throws -> Int {
    try await chunked(
      "AssociateAdditionalCertificatesWithListener", acceleratorId: acceleratorId, listenerId: listenerId,
      items: bindings, clientToken: clientToken
    ) { chunk in
      chunk.enumerated().flatMap { i, binding in
        [("Certificates.\(i + 1).Id", binding.certificateId), ("Certificates.\(i + 1).Domain", binding.domain)]
      }
    }
  }

  /// Swaps the certificate bound to `domain` in place (the old one serves until the new one does); a passing
  /// `dryRun` returns without change.
  public func updateAdditionalCertificate(
    acceleratorId: String, listenerId: String, domain: String, certificateId: String, clientToken: String? = nil,
    dryRun: Bool = false
  ) async throws {
    var parameters = base([
      ("AcceleratorId", acceleratorId), ("ListenerId", listenerId), ("Domain", domain),
      ("CertificateId", certificateId), ("ClientToken", clientToken ?? rpc.configuration.runtime.nonce()),
    ])
    if dryRun { parameters.append(("DryRun", "true")) }
    _ = try await rpc.callAllowingDryRun(
      "UpdateAdditionalCertificateWithListener", parameters: parameters, dryRun: dryRun)
  }

  /// Unbinds the certificates of `domains`, in calls of at most 10, waiting for the accelerator between calls;
  /// returns the number of calls made.
  @discardableResult
  public func dissociateAdditionalCertificates(
    acceleratorId: String, listenerId: String, domains: [String], clientToken: String? = nil
  ) async throws -> Int {
    try await chunked(
      "DissociateAdditionalCertificatesFromListener", acceleratorId: acceleratorId, listenerId: listenerId,
      items: domains, clientToken: clientToken
    ) { RequestParameters.indexed("Domains", $0) }
  }

  /// Replaces the listener's default certificate (`UpdateListener` with `Certificates.1.Id`).
  public func updateListenerDefaultCertificate(listenerId: String, certificateId: String, clientToken: String? = nil)
    async throws
  {
    _ = try await rpc.call(
      "UpdateListener",
      parameters: base([
        ("ListenerId", listenerId), ("Certificates.1.Id", certificateId),
        ("ClientToken", clientToken ?? rpc.configuration.runtime.nonce()),
      ]))
  }

  // MARK: - Waiting

  /// Polls `DescribeListener` until the listener is `active`, then `DescribeAccelerator` until the accelerator is
  /// (what Terraform waits for after a certificate write); `.timeout` when either is still busy after `timeout`.
  public func waitUntilActive(
    acceleratorId: String, listenerId: String, timeout: Duration = .seconds(180), pollInterval: Duration = .seconds(1)
  ) async throws {
    let polling = StatePolling(runtime: rpc.configuration.runtime, timeout: timeout, interval: pollInterval)
    try await polling.until(action: "DescribeListener", product: .ga, subject: "listener \(listenerId)") {
      let listener = try await describeListener(listenerId: listenerId)
      return (listener.isActive ? () : nil, listener.state)
    }
    try await polling.until(action: "DescribeAccelerator", product: .ga, subject: "accelerator \(acceleratorId)") {
      let accelerator = try await describeAccelerator(acceleratorId: acceleratorId)
      return (accelerator.isActive ? () : nil, accelerator.state)
    }
  }

  // MARK: - Helpers

  private func base(_ parameters: [(String, String)]) -> [(String, String)] {
    [("RegionId", Self.regionId)] + parameters
  }

  private func chunked<T>(
    _ action: String, acceleratorId: String, listenerId: String, items: [T], clientToken: String?,
    encode: ([T]) -> [(String, String)]
  ) async throws -> Int {
    guard !items.isEmpty else {
      throw AlibabaCloudError.configuration("\(action): nothing given for listener \(listenerId)")
    }
    let token = clientToken ?? rpc.configuration.runtime.nonce()
    let chunks = RequestParameters.chunk(items, size: Self.maxCertificatesPerCall)
    for (index, chunk) in chunks.enumerated() {
      if index > 0 {
        try await waitUntilActive(
          acceleratorId: acceleratorId, listenerId: listenerId, timeout: waitTimeout, pollInterval: pollInterval)
      }
      var parameters = base([("AcceleratorId", acceleratorId), ("ListenerId", listenerId)])
      parameters += encode(chunk)
      parameters.append(("ClientToken", ALBClient.chunkToken(token, index: index, count: chunks.count)))
      _ = try await rpc.call(action, parameters: parameters)
    }
    return chunks.count
  }
}
