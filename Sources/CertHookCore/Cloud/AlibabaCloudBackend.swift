import AlibabaCloud
import Foundation

/// `CloudBackend` over the AlibabaCloud module's clients (which sign, rate-limit and retry): CAS for certificates,
/// and one `ListenerDriver` per product for listeners, chosen by the listener's key (`ListenerProduct`).
public struct AlibabaCloudBackend: CloudBackend {
  /// The ALB client.
  public let alb: ALBClient
  /// The CAS client.
  public let cas: CASClient
  /// Poll interval for jobs and listener status.
  public let pollInterval: Duration
  /// The listener drivers: ALB's, and those of the other products the session reaches.
  public let drivers: ListenerDrivers

  /// Creates a backend over existing clients; `products` adds the drivers of NLB, GA and CLB.
  public init(alb: ALBClient, cas: CASClient, pollInterval: Duration = .seconds(1), products: [any ListenerDriver] = [])
  {
    self.alb = alb
    self.cas = cas
    self.pollInterval = pollInterval
    self.drivers = ListenerDrivers([ALBListenerDriver(alb: alb, pollInterval: pollInterval)] + products)
  }

  /// The listeners of the load balancers, each product's asked for its own (ALB's, all of them, when empty).
  public func listListeners(loadBalancerIds: [String]) async throws -> [CloudListener] {
    try await mapped {
      guard !loadBalancerIds.isEmpty else { return try await drivers.driver(.alb).listListeners(loadBalancerKeys: []) }
      let byProduct = Dictionary(grouping: loadBalancerIds, by: { ListenerProduct(key: $0) })
      var result: [CloudListener] = []
      for product in byProduct.keys.sorted() {
        result += try await drivers.driver(product).listListeners(loadBalancerKeys: byProduct[product] ?? [])
      }
      return result
    }
  }

  /// Every listener of `product` its driver can list account-wide (CLB's driver lists none; a product this
  /// backend has no driver for has no listeners it could reach).
  public func listAccountListeners(_ product: ListenerProduct) async throws -> [CloudListener] {
    guard let driver = drivers.drivers[product] else { return [] }
    return try await mapped { try await driver.listListeners(loadBalancerKeys: []) }
  }

  /// The listener's status and default certificate.
  public func getListener(_ listenerId: String) async throws -> CloudListener {
    try await mapped {
      let (driver, address) = try drivers.route(listenerId)
      return try await driver.getListener(address)
    }
  }

  /// The certificates on the listener, the default one included.
  public func listListenerCertificates(_ listenerId: String) async throws -> [CloudListenerCertificate] {
    try await mapped {
      let (driver, address) = try drivers.route(listenerId)
      return try await driver.listListenerCertificates(address)
    }
  }

  /// Additional certificates on, through the listener's product.
  public func associateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  {
    try await mapped {
      let (driver, address) = try drivers.route(listenerId)
      return try await driver.associateCertificates(
        address, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun
      ).map { ListenerDrivers.qualifiedJob($0, of: driver.product) }
    }
  }

  /// Additional certificates off, through the listener's product.
  public func dissociateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  {
    try await mapped {
      let (driver, address) = try drivers.route(listenerId)
      return try await driver.dissociateCertificates(
        address, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun
      ).map { ListenerDrivers.qualifiedJob($0, of: driver.product) }
    }
  }

  /// The new default certificate, through the listener's product.
  public func replaceDefaultCertificate(listenerId: String, certificateId: String, clientToken: String, dryRun: Bool)
    async throws -> String?
  {
    try await mapped {
      let (driver, address) = try drivers.route(listenerId)
      return try await driver.replaceDefaultCertificate(
        address, certificateId: certificateId, clientToken: clientToken, dryRun: dryRun
      ).map { ListenerDrivers.qualifiedJob($0, of: driver.product) }
    }
  }

  /// Waits for a job through the driver that started it.
  public func waitForJob(_ jobId: String, timeout: Double) async throws {
    try await mapped {
      let (driver, id) = try drivers.routeJob(jobId)
      try await driver.waitForJob(id, timeout: timeout)
    }
  }

  /// The watch of the driver that started the job (nil for a job no driver claims).
  public func associationWatch(forJob jobId: String) async -> JobPollPacer.Waits? {
    guard let (driver, _) = try? drivers.routeJob(jobId) else { return nil }
    return await driver.associationWatch()
  }

  /// Waits until the listener takes changes again.
  public func waitForListenerRunning(_ listenerId: String, timeout: Double) async throws {
    try await mapped {
      let (driver, address) = try drivers.route(listenerId)
      try await driver.waitForListenerRunning(address, timeout: timeout)
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

  func mapped<T>(_ body: () async throws -> T) async throws -> T {
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
