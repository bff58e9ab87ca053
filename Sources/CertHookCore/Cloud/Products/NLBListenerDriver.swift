import AlibabaCloud
import Foundation

/// NLB TCPSSL listeners through `NLBClient` (more-products spec section 1): the model is ALB's, so every call maps
/// one to one; listener keys are `nlb:<lsn-…>`, load balancer keys `nlb:<nlb-…>`.
///
/// Rule it keeps: `listListenerCertificates` always names the default certificate (`isDefault`): whether NLB's
/// `ListListenerCertificates` lists it is unconfirmed, so when the listing has none marked default, the one
/// `GetListenerAttribute` reports (`CertificateIds`) is added, or marked when listed without the flag.
public struct NLBListenerDriver: ListenerDriver {
  /// The NLB client.
  public let nlb: NLBClient
  /// Poll interval for jobs and listener status.
  public let pollInterval: Duration

  /// Creates a driver.
  public init(nlb: NLBClient, pollInterval: Duration) {
    self.nlb = nlb
    self.pollInterval = pollInterval
  }

  /// NLB.
  public var product: ListenerProduct { .nlb }

  /// `ListListeners` for the load balancers (every NLB listener of the region when empty).
  public func listListeners(loadBalancerKeys: [String]) async throws -> [CloudListener] {
    try await nlb.listListeners(loadBalancerIds: loadBalancerKeys.map(ListenerProduct.unqualified)).map(Self.listener)
  }

  /// `GetListenerAttribute`: status and default certificate.
  public func getListener(_ address: ListenerAddress) async throws -> CloudListener {
    Self.listener(try await nlb.getListenerAttribute(listenerId: address.listenerId))
  }

  /// `ListListenerCertificates` (server certificates), with the default certificate made sure of.
  public func listListenerCertificates(_ address: ListenerAddress) async throws -> [CloudListenerCertificate] {
    let listed = try await nlb.listListenerCertificates(listenerId: address.listenerId, certificateType: "Server").map {
      CloudListenerCertificate(certificateId: $0.certificateId, isDefault: $0.isDefault, status: $0.status.description)
    }
    guard !listed.contains(where: \.isDefault) else { return listed }
    let attribute = try await nlb.getListenerAttribute(listenerId: address.listenerId)
    return Self.withDefault(listed, defaultCertificateId: attribute.defaultCertificateId)
  }

  /// `AssociateAdditionalCertificatesWithListener` in calls of at most 15.
  public func associateCertificates(
    _ address: ListenerAddress, certificateIds: [String], clientToken: String, dryRun: Bool
  ) async throws -> [String] {
    try await nlb.associateAdditionalCertificates(
      listenerId: address.listenerId, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun)
  }

  /// `DisassociateAdditionalCertificatesWithListener` (NLB's spelling) in calls of at most 15.
  public func dissociateCertificates(
    _ address: ListenerAddress, certificateIds: [String], clientToken: String, dryRun: Bool
  ) async throws -> [String] {
    try await nlb.disassociateAdditionalCertificates(
      listenerId: address.listenerId, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun)
  }

  /// `UpdateListenerAttribute` with the new default certificate (`CertificateIds.1`).
  public func replaceDefaultCertificate(
    _ address: ListenerAddress, certificateId: String, clientToken: String, dryRun: Bool
  ) async throws -> String? {
    let job = try await nlb.updateListenerDefaultCertificate(
      listenerId: address.listenerId, certificateId: certificateId, clientToken: clientToken, dryRun: dryRun)
    return job.flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Polls `GetJobStatus` until the job succeeds.
  public func waitForJob(_ jobId: String, timeout: Double) async throws {
    try await nlb.waitForJob(
      jobId: jobId, timeout: AlibabaCloudBackend.duration(timeout), pollInterval: pollInterval)
  }

  /// Polls `GetListenerAttribute` until the listener is `Running`.
  public func waitForListenerRunning(_ address: ListenerAddress, timeout: Double) async throws {
    _ = try await nlb.waitForListenerRunning(
      listenerId: address.listenerId, timeout: AlibabaCloudBackend.duration(timeout), pollInterval: pollInterval)
  }

  /// The listing with `defaultCertificateId` marked default: flagged where listed, added (`Associated`) where not.
  public static func withDefault(_ listed: [CloudListenerCertificate], defaultCertificateId: String?)
    -> [CloudListenerCertificate]
  {
    guard let id = defaultCertificateId, !listed.contains(where: \.isDefault) else { return listed }
    guard let index = listed.firstIndex(where: { $0.certificateId == id }) else {
      return [CloudListenerCertificate(certificateId: id, isDefault: true, status: "Associated")] + listed
    }
    var result = listed
    result[index].isDefault = true
    return result
  }

  /// The engine's listener: keys qualified with `nlb:`, NLB's statuses (already ALB's words).
  static func listener(_ l: NLBListener) -> CloudListener {
    CloudListener(
      id: ListenerProduct.nlb.qualified(l.id), loadBalancerId: ListenerProduct.nlb.qualified(l.loadBalancerId),
      listenerProtocol: l.protocol, port: l.port, status: l.status, defaultCertificateId: l.defaultCertificateId)
  }
}
