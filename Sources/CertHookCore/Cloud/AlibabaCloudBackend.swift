import AlibabaCloud
import Foundation

/// `CloudBackend` over the AlibabaCloud module's ALB and CAS clients (which sign, rate-limit and retry).
public struct AlibabaCloudBackend: CloudBackend {
  /// The ALB client.
  public let alb: ALBClient
  /// The CAS client.
  public let cas: CASClient
  /// Poll interval for jobs and listener status.
  public let pollInterval: Duration
  /// When to look at jobs, learned from the jobs this backend saw finish.
  public let jobPacer = JobPollPacer()

  /// Creates a backend over existing clients.
  public init(alb: ALBClient, cas: CASClient, pollInterval: Duration = .seconds(1)) {
    self.alb = alb
    self.cas = cas
    self.pollInterval = pollInterval
  }

  /// `ListListeners` for the load balancers (all listeners when empty).
  public func listListeners(loadBalancerIds: [String]) async throws -> [CloudListener] {
    try await mapped {
      try await alb.listListeners(loadBalancerIds: loadBalancerIds).map { CloudListener($0) }
    }
  }

  /// `GetListenerAttribute`: status and default certificate.
  public func getListener(_ listenerId: String) async throws -> CloudListener {
    try await mapped {
      let a = try await alb.getListenerAttribute(listenerId: listenerId)
      return CloudListener(a.listener, defaultCertificateId: a.defaultCertificateId)
    }
  }

  /// `ListListenerCertificates` (server certificates, the default one included).
  public func listListenerCertificates(_ listenerId: String) async throws -> [CloudListenerCertificate] {
    try await mapped {
      try await alb.listListenerCertificates(listenerId: listenerId, certificateType: "Server").map {
        CloudListenerCertificate(
          certificateId: $0.certificateId, isDefault: $0.isDefault, status: $0.status.description)
      }
    }
  }

  /// `AssociateAdditionalCertificatesWithListener` in calls of at most 15.
  public func associateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  {
    try await mapped {
      try await alb.associateAdditionalCertificates(
        listenerId: listenerId, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun)
    }
  }

  /// `DissociateAdditionalCertificatesFromListener` in calls of at most 15.
  public func dissociateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  {
    try await mapped {
      try await alb.dissociateAdditionalCertificates(
        listenerId: listenerId, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun)
    }
  }

  /// `UpdateListenerAttribute` with the new default certificate.
  public func replaceDefaultCertificate(listenerId: String, certificateId: String, clientToken: String, dryRun: Bool)
    async throws -> String?
  {
    try await mapped {
      let job = try await alb.updateListenerDefaultCertificate(
        listenerId: listenerId, certificateId: certificateId, clientToken: clientToken, dryRun: dryRun)
      return job.isEmpty ? nil : job
    }
  }

  /// Polls `ListAsynJobs` until the job succeeds.
  public func waitForJob(_ jobId: String, timeout: Double) async throws {
    // A job never finishes instantly: the first look comes when this run's jobs have tended to be done.
    let waits = await jobPacer.waits(interval: pollInterval)
    try await alb.rpc.configuration.runtime.sleep(waits.first)
    let job = try await mapped {
      try await alb.waitForJob(jobId: jobId, timeout: Self.duration(timeout), pollInterval: waits.then)
    }
    await jobPacer.record(createMilliseconds: job.createTime, modifyMilliseconds: job.modifyTime)
  }

  /// Polls `GetListenerAttribute` until the listener is `Running`.
  public func waitForListenerRunning(_ listenerId: String, timeout: Double) async throws {
    try await mapped {
      _ = try await alb.waitForListenerRunning(
        listenerId: listenerId, timeout: Self.duration(timeout), pollInterval: pollInterval)
    }
  }

  /// `ListUserCertificateOrder` (uploaded certificates) by keyword.
  public func searchCertificates(keyword: String) async throws -> [CloudCertificateSummary] {
    try await mapped {
      try await cas.listUserCertificates(keyword: keyword, orderType: "UPLOAD").map(Self.summary)
    }
  }

  /// Every uploaded certificate, expired ones included.
  public func listUploadedCertificates() async throws -> [CloudCertificateSummary] {
    try await mapped {
      // Without a Status filter CAS lists only ISSUED and WILLEXPIRED; ask for EXPIRED separately.
      var seen = Set<Int>()
      var result: [CloudCertificateSummary] = []
      for status in [nil, "EXPIRED"] as [String?] {
        for s in try await cas.listUserCertificates(keyword: nil, orderType: "UPLOAD", status: status)
        where seen.insert(s.certificateId).inserted {
          result.append(Self.summary(s))
        }
      }
      return result
    }
  }

  /// `GetUserCertificateDetail`; nil for an unknown ID. Asks with `CertFilter=true` (no certificate, no private
  /// key over the wire) and fetches the PEM only when CAS left `Sans` or `Sha2` empty, since names and identity
  /// must then come from the certificate itself.
  public func certificateDetail(certId: Int) async throws -> CloudCertificateDetail? {
    do {
      var d = try await cas.getUserCertificateDetail(certId: certId, includePEM: false)
      if d.sans.isEmpty || (d.sha2 ?? "").isEmpty {
        d = try await cas.getUserCertificateDetail(certId: certId, includePEM: true)
      }
      return CloudCertificateDetail(
        certId: d.id, identifier: d.certIdentifier, name: d.name, commonName: d.commonName, sans: d.sans,
        sha256: d.sha2, notBefore: d.notBefore, notAfter: d.notAfter, certificatePEM: d.certificatePEM)
    } catch let error as AlibabaCloudError where error.kind == .api && (error.code ?? "").hasPrefix("NotFound") {
      return nil
    } catch {
      throw Self.map(error)
    }
  }

  /// `UploadUserCertificate`; returns the CAS ID.
  public func uploadCertificate(name: String, certificatePEM: String, keyPEM: String, clientToken: String) async throws
    -> Int
  {
    try await mapped {
      try await cas.uploadUserCertificate(
        name: name, certificatePEM: certificatePEM, keyPEM: keyPEM, clientToken: clientToken,
        tags: [CASClient.managedTag]
      )
      .certId
    }
  }

  /// `DeleteUserCertificate`.
  public func deleteCertificate(certId: Int) async throws {
    try await mapped {
      try await cas.deleteUserCertificate(certId: certId, clientToken: "certhook-delete-\(certId)")
    }
  }

  /// Sleeps on the clients' injected runtime clock.
  public func sleep(for duration: Duration) async throws {
    try await alb.rpc.configuration.runtime.sleep(duration)
  }

  // MARK: - helpers

  private func mapped<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch {
      throw Self.map(error)
    }
  }

  static func map(_ error: Error) -> Error {
    if let e = error as? AlibabaCloudError {
      return CertHookError.api(e)
    }
    return error
  }

  static func duration(_ seconds: Double) -> Duration {
    .milliseconds(Int64(max(0, seconds) * 1000))
  }

  /// List results carry only a day (`EndDate`); use its end so a certificate never looks expired too early.
  static func summary(_ s: UserCertificateSummary) -> CloudCertificateSummary {
    CloudCertificateSummary(
      certId: s.certificateId, name: s.name, commonName: s.commonName, sans: s.sans, sha256: s.sha2,
      notAfter: s.endDate.map { $0.addingTimeInterval(86_399) }, expired: s.expired)
  }
}
