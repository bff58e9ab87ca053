import Foundation

/// Client for the NLB API (2022-04-30): TCPSSL listeners, their additional certificates and the async jobs that
/// change them (more-products spec section 1).
///
/// Rules it keeps: additional certificates travel as `AdditionalCertificateIds.N` in a form body, as the official
/// SDK sends them, in calls of at most 15, each with its own ClientToken derived from the caller's; every call but
/// `GetJobStatus` names the region; a passing `DryRun` (`DryRunOperation`) is the precheck passing, not a failure.
public struct NLBClient: RegionalProductClient {
  /// The API version.
  public static let version = ApiAction.Product.nlb.version
  /// Most certificates one Associate/Disassociate call may carry.
  public static let maxCertificatesPerCall = 15
  /// Most IDs one ListListeners filter may carry.
  public static let maxIdsPerFilter = 20
  /// `MaxResults` of a ListListeners page (the API allows 1-100).
  public static let listenerPageSize = 100
  /// `MaxResults` of a ListListenerCertificates page (the SDK allows 1-50, the docs 1-100).
  public static let certificatePageSize = 50

  /// The underlying RPC client (version 2022-04-30).
  public let rpc: AcsRPCClient
  /// The region every call names (`RegionId`).
  public let region: String

  /// The table's product: the RPC client must speak its version.
  public static let apiProduct = ApiAction.Product.nlb
  /// The product's endpoints.
  public static let cloudProduct = CloudProduct.nlb
  /// How a version mismatch names this client.
  public static let clientDescription = "an NLB client"

  /// Stores an RPC client and region checked by `init(rpc:region:)` (`RegionalProductClient`).
  public init(checkedRPC rpc: AcsRPCClient, region: String) {
    self.rpc = rpc
    self.region = region
  }

  // MARK: - Reads

  /// Every listener matching the filters (all pages; ID lists split into groups of 20); `protocol` is `TCP`,
  /// `UDP` or `TCPSSL`.
  public func listListeners(
    loadBalancerIds: [String] = [], listenerIds: [String] = [], protocol listenerProtocol: String? = nil
  ) async throws -> [NLBListener] {
    var result: [NLBListener] = []
    var seen: Set<String> = []
    for lbs in RequestParameters.filterChunks(loadBalancerIds, size: Self.maxIdsPerFilter) {
      for lss in RequestParameters.filterChunks(listenerIds, size: Self.maxIdsPerFilter) {
        var base: [(String, String)] = [("RegionId", region)]
        base += RequestParameters.indexed("LoadBalancerIds", lbs)
        base += RequestParameters.indexed("ListenerIds", lss)
        if let listenerProtocol { base.append(("ListenerProtocol", listenerProtocol)) }
        let items = try await rpc.tokenPages(
          "ListListeners", parameters: base, listKey: "Listeners", pageSize: Self.listenerPageSize)
        for item in items.map(NLBListener.init(json:)) where seen.insert(item.id).inserted {
          result.append(item)
        }
      }
    }
    return result
  }

  /// One listener, with its default certificate in `certificateIds`.
  public func getListenerAttribute(listenerId: String) async throws -> NLBListener {
    let json = try await rpc.call(
      "GetListenerAttribute", parameters: [("ListenerId", listenerId), ("RegionId", region)])
    return NLBListener(json: json)
  }

  /// Every certificate on a listener (all pages), each with its association status; `certificateType` is
  /// `Server` (default) or `Ca`, nil for both.
  public func listListenerCertificates(
    listenerId: String, certificateType: String? = "Server", certificateIds: [String] = []
  ) async throws -> [ListenerCertificate] {
    var base: [(String, String)] = [("ListenerId", listenerId), ("RegionId", region)]
    if let certificateType { base.append(("CertType", certificateType)) }
    base += RequestParameters.indexed("CertificateIds", certificateIds)
    return try await rpc.tokenPages(
      "ListListenerCertificates", parameters: base, listKey: "Certificates", pageSize: Self.certificatePageSize,
      location: .formBody
    ).map(ListenerCertificate.init(json:))
  }

  /// `GetLoadBalancerAttribute`: the instance's status and the DNS name clients reach its listeners by.
  public func getLoadBalancerAttribute(loadBalancerId: String) async throws -> LoadBalancerAttribute {
    let json = try await rpc.call(
      "GetLoadBalancerAttribute", parameters: [("LoadBalancerId", loadBalancerId), ("RegionId", region)])
    return LoadBalancerAttribute(json: json, loadBalancerId: loadBalancerId)
  }

  /// The status of an async job (`Succeeded`, `Processing`; any case).
  public func getJobStatus(jobId: String) async throws -> AsyncJob.Status {
    let json = try await rpc.call("GetJobStatus", parameters: [("JobId", jobId)])
    return AsyncJob.Status(wire: try rpc.requiredField(json, "Status", action: "GetJobStatus"))
  }

  // MARK: - Writes

  /// Associates additional certificates, in calls of at most 15; returns the job IDs (none on a passing dry run).
  public func associateAdditionalCertificates(
    listenerId: String, certificateIds: [String], clientToken: String? = nil, dryRun: Bool = false
  ) async throws -> [String] {
    try await changeCertificates(
      "AssociateAdditionalCertificatesWithListener", listenerId: listenerId, certificateIds: certificateIds,
      clientToken: clientToken, dryRun: dryRun)
  }

  /// Disassociates additional certificates (NLB's spelling: `DisassociateAdditionalCertificatesWithListener`), in
  /// calls of at most 15; returns the job IDs (none on a passing dry run).
  public func disassociateAdditionalCertificates(
    listenerId: String, certificateIds: [String], clientToken: String? = nil, dryRun: Bool = false
  ) async throws -> [String] {
    try await changeCertificates(
      "DisassociateAdditionalCertificatesWithListener", listenerId: listenerId, certificateIds: certificateIds,
      clientToken: clientToken, dryRun: dryRun)
  }

  /// Replaces the listener's default certificate (`UpdateListenerAttribute` with `CertificateIds.1`); returns the
  /// job ID (nil on a passing dry run).
  public func updateListenerDefaultCertificate(
    listenerId: String, certificateId: String, clientToken: String? = nil, dryRun: Bool = false
  ) async throws -> String? {
    var parameters: [(String, String)] = [
      ("ListenerId", listenerId), ("RegionId", region), ("CertificateIds.1", certificateId),
      ("ClientToken", clientToken ?? rpc.configuration.runtime.nonce()),
    ]
    if dryRun { parameters.append(("DryRun", "true")) }
    guard
      let json = try await rpc.callAllowingDryRun(
        "UpdateListenerAttribute", parameters: parameters, dryRun: dryRun, location: .formBody)
    else { return nil }
    return try rpc.requiredField(json, "JobId", action: "UpdateListenerAttribute")
  }

  // MARK: - Waiting

  /// Polls `GetJobStatus` until the job succeeded; `.jobFailed` when it reports `Failed`, `.timeout` when it is
  /// still running after `timeout`.
  public func waitForJob(jobId: String, timeout: Duration = .seconds(300), pollInterval: Duration = .seconds(2))
    async throws
  {
    let polling = StatePolling(runtime: rpc.configuration.runtime, timeout: timeout, interval: pollInterval)
    try await polling.until(action: "GetJobStatus", product: .nlb, subject: "job \(jobId)") {
      let status = try await getJobStatus(jobId: jobId)
      if status == .failed {
        throw AlibabaCloudError(
          kind: .jobFailed, action: "GetJobStatus", product: .nlb, code: "Failed",
          message: "job \(NetworkText.escaped(jobId)) failed")
      }
      return (status == .succeeded ? () : nil, "\(status)")
    }
  }

  /// Polls `GetListenerAttribute` until the listener is `Running` (what Terraform waits for after
  /// `UpdateListenerAttribute`); `.timeout` otherwise.
  @discardableResult
  public func waitForListenerRunning(
    listenerId: String, timeout: Duration = .seconds(300), pollInterval: Duration = .seconds(2)
  ) async throws -> NLBListener {
    let polling = StatePolling(runtime: rpc.configuration.runtime, timeout: timeout, interval: pollInterval)
    return try await polling.until(action: "GetListenerAttribute", product: .nlb, subject: "listener \(listenerId)") {
      let listener = try await getListenerAttribute(listenerId: listenerId)
      return (listener.status.lowercased() == "running" ? listener : nil, listener.status)
    }
  }

  // MARK: - Helpers

  private func changeCertificates(
    _ action: String, listenerId: String, certificateIds: [String], clientToken: String?, dryRun: Bool
  ) async throws -> [String] {
    try await rpc.chunkedJobWrites(
      action, base: [("ListenerId", listenerId), ("RegionId", region)], ids: certificateIds,
      size: Self.maxCertificatesPerCall, clientToken: clientToken, dryRun: dryRun, location: .formBody
    ) { RequestParameters.indexed("AdditionalCertificateIds", $0) }
  }
}
