import Foundation

/// Client for the ALB API (version 2020-06-16): listeners, their certificates and async jobs.
public struct ALBClient: Sendable {
  /// The API version.
  public static let version = ApiAction.Product.alb.version
  /// Most certificates one Associate/Dissociate call may carry.
  public static let maxCertificatesPerCall = 15
  /// Most IDs one ListListeners filter may carry.
  public static let maxIdsPerFilter = 20

  /// The underlying RPC client.
  public let rpc: AcsRPCClient

  /// Creates a client for `configuration.resolvedALBEndpoint()`.
  public init(configuration: ClientConfiguration, credentials: any CredentialProvider, transport: any HTTPTransport) throws {
    self.rpc = AcsRPCClient(
      endpoint: try configuration.resolvedALBEndpoint(), version: Self.version, credentials: credentials,
      transport: transport, configuration: configuration)
  }

  // MARK: - Reads

  /// Every listener matching the filters (all pages; ID lists split into groups of 20).
  public func listListeners(
    loadBalancerIds: [String] = [], listenerIds: [String] = [], protocol listenerProtocol: String? = nil
  ) async throws -> [Listener] {
    let lbChunks: [[String]] = loadBalancerIds.isEmpty ? [[]] : Self.chunk(loadBalancerIds, size: Self.maxIdsPerFilter)
    let lsChunks: [[String]] = listenerIds.isEmpty ? [[]] : Self.chunk(listenerIds, size: Self.maxIdsPerFilter)
    var result: [Listener] = []
    var seen: Set<String> = []
    for lbs in lbChunks {
      for lss in lsChunks {
        var base: [(String, String)] = []
        base += Self.indexed("LoadBalancerIds", lbs)
        base += Self.indexed("ListenerIds", lss)
        if let listenerProtocol { base.append(("ListenerProtocol", listenerProtocol)) }
        let items = try await allPages("ListListeners", parameters: base, listKey: "Listeners")
        for item in items {
          let listener = Listener(json: item)
          if seen.insert(listener.id).inserted { result.append(listener) }
        }
      }
    }
    return result
  }

  /// One listener's attributes, including its default certificate.
  public func getListenerAttribute(listenerId: String) async throws -> ListenerAttribute {
    let json = try await rpc.call("GetListenerAttribute", parameters: [("ListenerId", listenerId)])
    return ListenerAttribute(json: json)
  }

  /// Every certificate on a listener (all pages; the default one has `isDefault`).
  public func listListenerCertificates(listenerId: String, certificateType: String? = "Server") async throws
    -> [ListenerCertificate]
  {
    var base: [(String, String)] = [("ListenerId", listenerId)]
    if let certificateType { base.append(("CertificateType", certificateType)) }
    return try await allPages("ListListenerCertificates", parameters: base, listKey: "Certificates")
      .map(ListenerCertificate.init(json:))
  }

  /// The given async jobs (all pages).
  public func listAsyncJobs(jobIds: [String]) async throws -> [AsyncJob] {
    var jobs: [AsyncJob] = []
    for chunk in Self.chunk(jobIds, size: Self.maxIdsPerFilter) {
      jobs += try await allPages("ListAsynJobs", parameters: Self.indexed("JobIds", chunk), listKey: "Jobs")
        .map(AsyncJob.init(json:))
    }
    return jobs
  }

  // MARK: - Writes

  /// Associates additional certificates, in calls of at most 15; returns the job IDs (empty on a
  /// passing dry run). Each chunk gets a ClientToken derived deterministically from `clientToken`.
  public func associateAdditionalCertificates(
    listenerId: String, certificateIds: [String], clientToken: String? = nil, dryRun: Bool = false
  ) async throws -> [String] {
    try await changeCertificates(
      "AssociateAdditionalCertificatesWithListener", listenerId: listenerId, certificateIds: certificateIds,
      clientToken: clientToken, dryRun: dryRun)
  }

  /// Dissociates additional certificates, in calls of at most 15; returns the job IDs (empty on a
  /// passing dry run).
  public func dissociateAdditionalCertificates(
    listenerId: String, certificateIds: [String], clientToken: String? = nil, dryRun: Bool = false
  ) async throws -> [String] {
    try await changeCertificates(
      "DissociateAdditionalCertificatesFromListener", listenerId: listenerId, certificateIds: certificateIds,
      clientToken: clientToken, dryRun: dryRun)
  }

  /// Replaces the listener's default certificate; returns the job ID ("" on a passing dry run).
  public func updateListenerDefaultCertificate(
    listenerId: String, certificateId: String, clientToken: String? = nil, dryRun: Bool = false
  ) async throws -> String {
    let token = clientToken ?? rpc.configuration.runtime.nonce()
    var parameters: [(String, String)] = [
      ("ListenerId", listenerId), ("Certificates.1.CertificateId", certificateId), ("ClientToken", token),
    ]
    if dryRun { parameters.append(("DryRun", "true")) }
    guard let json = try await callAllowingDryRun("UpdateListenerAttribute", parameters: parameters, dryRun: dryRun) else {
      return ""
    }
    return try jobId(json, action: "UpdateListenerAttribute")
  }

  // MARK: - Waiting

  /// Polls `ListAsynJobs` until the job succeeds; throws `.jobFailed` with its ErrorCode/ErrorMessage
  /// when it fails, `.timeout` when it is still running after `timeout`.
  @discardableResult
  public func waitForJob(jobId: String, timeout: Duration = .seconds(300), pollInterval: Duration = .seconds(2))
    async throws -> AsyncJob
  {
    let runtime = rpc.configuration.runtime
    let deadline = runtime.now().addingTimeInterval(RetryPolicy.seconds(timeout))
    var last: AsyncJob?
    while true {
      if let job = try await listAsyncJobs(jobIds: [jobId]).first(where: { $0.id == jobId }) {
        last = job
        switch job.status {
        case .succeeded:
          return job
        case .failed:
          throw AlibabaCloudError(
            kind: .jobFailed, action: job.apiName.map(NetworkText.escaped) ?? "ListAsynJobs",
            code: job.errorCode.map(NetworkText.escaped),
            message: NetworkText.escaped("job \(jobId) on \(job.resourceId ?? "?") failed: \(job.errorMessage ?? "no message")"))
        case .processing, .other:
          break
        }
      }
      guard runtime.now() < deadline else {
        throw AlibabaCloudError(
          kind: .timeout, action: "ListAsynJobs",
          message: "job \(jobId) still \(last.map { "\($0.status)" } ?? "unknown") after \(timeout)")
      }
      try await runtime.sleep(pollInterval)
    }
  }

  /// Polls `GetListenerAttribute` until the listener is `Running`; throws `.timeout` otherwise.
  @discardableResult
  public func waitForListenerRunning(
    listenerId: String, timeout: Duration = .seconds(300), pollInterval: Duration = .seconds(2)
  ) async throws -> ListenerAttribute {
    let runtime = rpc.configuration.runtime
    let deadline = runtime.now().addingTimeInterval(RetryPolicy.seconds(timeout))
    while true {
      let attribute = try await getListenerAttribute(listenerId: listenerId)
      if attribute.status == "Running" { return attribute }
      guard runtime.now() < deadline else {
        throw AlibabaCloudError(
          kind: .timeout, action: "GetListenerAttribute",
          message: "listener \(listenerId) still \(NetworkText.escaped(attribute.status)) after \(timeout)")
      }
      try await runtime.sleep(pollInterval)
    }
  }

  // MARK: - Helpers

  /// The ClientToken for chunk `index` of `count`: the token itself when there is one chunk, else a
  /// deterministic derivation (<= 64 ASCII characters).
  public static func chunkToken(_ token: String, index: Int, count: Int) -> String {
    guard count > 1 else { return token }
    let digest = Hashing.sha256Hex(Array("\(token)#\(index)".utf8)).prefix(12)
    return "\(token.prefix(44))-\(index + 1)of\(count)-\(digest)"
  }

  private func changeCertificates(
    _ action: String, listenerId: String, certificateIds: [String], clientToken: String?, dryRun: Bool
  ) async throws -> [String] {
    try await rpc.chunkedJobWrites(
      action, base: [("ListenerId", listenerId)], ids: certificateIds, size: Self.maxCertificatesPerCall,
      clientToken: clientToken, dryRun: dryRun
    ) { chunk in chunk.enumerated().map { ("Certificates.\($0.offset + 1).CertificateId", $0.element) } }
  }

  private func callAllowingDryRun(_ action: String, parameters: [(String, String)], dryRun: Bool) async throws
    -> JSONValue?
  {
    try await rpc.callAllowingDryRun(action, parameters: parameters, dryRun: dryRun)
  }

  private func jobId(_ json: JSONValue, action: String) throws -> String {
    try rpc.requiredField(json, "JobId", action: action)
  }

  /// Most pages one listing reads (100 items each): a server that never stops handing out fresh `NextToken`s
  /// cannot keep a run looping.
  public static let maxPages = AcsRPCClient.maxPages

  private func allPages(_ action: String, parameters: [(String, String)], listKey: String) async throws -> [JSONValue] {
    try await rpc.tokenPages(action, parameters: parameters, listKey: listKey, pageSize: 100)
  }

  static func indexed(_ name: String, _ values: [String]) -> [(String, String)] {
    RequestParameters.indexed(name, values)
  }

  static func chunk<T>(_ values: [T], size: Int) -> [[T]] {
    RequestParameters.chunk(values, size: size)
  }
}
