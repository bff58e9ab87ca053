import AlibabaCloud
import Foundation

/// ALB listeners through `ALBClient`: the engine's model is ALB's own, so every call maps one to one.
public struct ALBListenerDriver: ListenerDriver {
  /// The ALB client.
  public let alb: ALBClient
  /// Poll interval for jobs and listener status.
  public let pollInterval: Duration
  /// When to look at jobs, learned from the jobs this driver saw finish.
  public let jobPacer = JobPollPacer()

  /// Creates a driver.
  public init(alb: ALBClient, pollInterval: Duration) {
    self.alb = alb
    self.pollInterval = pollInterval
  }

  public var product: ListenerProduct { .alb }

  /// `ListListeners` for the load balancers (all listeners when empty).
  public func listListeners(loadBalancerKeys: [String]) async throws -> [CloudListener] {
    try await alb.listListeners(loadBalancerIds: loadBalancerKeys).map { CloudListener($0) }
  }

  /// `GetListenerAttribute`: status and default certificate.
  public func getListener(_ address: ListenerAddress) async throws -> CloudListener {
    let a = try await alb.getListenerAttribute(listenerId: address.listenerId)
    return CloudListener(a.listener, defaultCertificateId: a.defaultCertificateId)
  }

  /// `ListListenerCertificates` (server certificates, the default one included).
  public func listListenerCertificates(_ address: ListenerAddress) async throws -> [CloudListenerCertificate] {
    try await alb.listListenerCertificates(listenerId: address.listenerId, certificateType: "Server").map {
      CloudListenerCertificate(certificateId: $0.certificateId, isDefault: $0.isDefault, status: $0.status.description)
    }
  }

  /// `AssociateAdditionalCertificatesWithListener` in calls of at most 15.
  public func associateCertificates(
    _ address: ListenerAddress, certificateIds: [String], clientToken: String, dryRun: Bool
  ) async throws -> [String] {
    try await alb.associateAdditionalCertificates(
      listenerId: address.listenerId, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun)
  }

  /// `DissociateAdditionalCertificatesFromListener` in calls of at most 15.
  public func dissociateCertificates(
    _ address: ListenerAddress, certificateIds: [String], clientToken: String, dryRun: Bool
  ) async throws -> [String] {
    try await alb.dissociateAdditionalCertificates(
      listenerId: address.listenerId, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun)
  }

  /// `UpdateListenerAttribute` with the new default certificate.
  public func replaceDefaultCertificate(
    _ address: ListenerAddress, certificateId: String, clientToken: String, dryRun: Bool
  ) async throws -> String? {
    let job = try await alb.updateListenerDefaultCertificate(
      listenerId: address.listenerId, certificateId: certificateId, clientToken: clientToken, dryRun: dryRun)
    return job.isEmpty ? nil : job
  }

  /// Polls `ListAsynJobs` until the job succeeds; the first look comes when this run's jobs have tended to be
  /// done (a job never finishes instantly).
  public func waitForJob(_ jobId: String, timeout: Double) async throws {
    let waits = await jobPacer.waits(interval: pollInterval)
    try await alb.rpc.configuration.runtime.sleep(waits.first)
    let job = try await alb.waitForJob(
      jobId: jobId, timeout: AlibabaCloudBackend.duration(timeout), pollInterval: waits.then)
    await jobPacer.record(createMilliseconds: job.createTime, modifyMilliseconds: job.modifyTime)
  }

  /// ALB lists an association as `Associating` until its job is done and `Associated` after: the listing read that
  /// verifies it also tells when it is done. It is looked at when nine in ten of this run's recent jobs would have
  /// been done, or, until `learnedJobs` jobs finished, after a whole poll interval (half of one, the job poll's
  /// first look, came before most jobs were done): a look too early costs a second listing read, and listing reads
  /// are what a large first sync is bound by.
  public func associationWatch() async -> JobPollPacer.Waits? {
    guard await jobPacer.learnedCount >= Self.learnedJobs else {
      return JobPollPacer.Waits(first: pollInterval, then: pollInterval / 2)
    }
    return await jobPacer.waits(interval: pollInterval, quantile: 0.9)
  }

  /// Finished jobs after which the association watch trusts the pacer's timing.
  public static let learnedJobs = 4

  /// Polls `GetListenerAttribute` until the listener is `Running`.
  public func waitForListenerRunning(_ address: ListenerAddress, timeout: Double) async throws {
    _ = try await alb.waitForListenerRunning(
      listenerId: address.listenerId, timeout: AlibabaCloudBackend.duration(timeout), pollInterval: pollInterval)
  }

  /// `GetLoadBalancerAttribute` `DNSName`.
  public func dnsName(loadBalancerKey: String) async throws -> String {
    try await ALBLoadBalancerDirectory(client: alb).dnsName(loadBalancerId: loadBalancerKey)
  }
}
