import Foundation

/// What the lifecycle engine needs from the cloud (ALB + CAS), narrow enough for an in-memory fake.
///
/// Implementations throw `CertHookError.api` (the typed Alibaba Cloud error, RequestId included) or
/// `CertHookError.cloud(code:message:)` for API errors, and retry transport faults and throttling themselves; a
/// "listener busy" answer is thrown at once (the executor owns that retry). A `dryRun` write that passes the API's precheck returns
/// normally (empty job list / nil job) without changing anything.
public protocol CloudBackend: Sendable {
  /// Every listener of the given load balancers (all protocols).
  func listListeners(loadBalancerIds: [String]) async throws -> [CloudListener]
  /// One listener's attributes, including its status and default certificate.
  func getListener(_ listenerId: String) async throws -> CloudListener
  /// The server certificates on a listener, the default one included (`isDefault`).
  func listListenerCertificates(_ listenerId: String) async throws -> [CloudListenerCertificate]
  /// Associates additional certificates (split into calls of at most 15); returns job IDs.
  func associateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  /// Dissociates additional certificates (split into calls of at most 15); returns job IDs.
  func dissociateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  /// Replaces the listener's default certificate; returns the job ID (nil for a dry run).
  func replaceDefaultCertificate(listenerId: String, certificateId: String, clientToken: String, dryRun: Bool)
    async throws -> String?
  /// Waits until an asynchronous job succeeds; throws with the job's error when it failed.
  func waitForJob(_ jobId: String, timeout: Double) async throws
  /// When to read the listener's certificates for the outcome of the association that started `jobId`, instead of
  /// waiting for the job; nil when the listing does not show it (then `waitForJob`).
  func associationWatch(forJob jobId: String) async -> JobPollPacer.Waits?
  /// Waits until the listener is `Running` (not `Configuring`).
  func waitForListenerRunning(_ listenerId: String, timeout: Double) async throws
  /// CAS certificates matching a keyword (fuzzy on domain, name or ID), uploaded ones included.
  func searchCertificates(keyword: String) async throws -> [CloudCertificateSummary]
  /// Every certificate uploaded to CAS, expired ones included (for pruning).
  func listUploadedCertificates() async throws -> [CloudCertificateSummary]
  /// A CAS certificate's detail with its PEM; nil when CAS does not know the ID.
  func certificateDetail(certId: Int) async throws -> CloudCertificateDetail?
  /// Uploads a certificate (leaf then chain) and key; returns the CAS numeric ID.
  func uploadCertificate(name: String, certificatePEM: String, keyPEM: String, clientToken: String) async throws -> Int
  /// Deletes a CAS certificate.
  func deleteCertificate(certId: Int) async throws
  /// Waits `duration` on the backend's injected clock (the executor never sleeps on its own).
  func sleep(for duration: Duration) async throws
  /// Every listener of `product` in the account and region (empty for a product that has no such listing: CLB).
  func listAccountListeners(_ product: ListenerProduct) async throws -> [CloudListener]
}

extension CloudBackend {
  /// Backends that know only ALB list its listeners; the other products have none.
  public func listAccountListeners(_ product: ListenerProduct) async throws -> [CloudListener] {
    product == .alb ? try await listListeners(loadBalancerIds: []) : []
  }

  /// Backends without a product that shows an association's progress wait for its job.
  public func associationWatch(forJob jobId: String) async -> JobPollPacer.Waits? { nil }

  /// In-memory backends finish every job at once: nothing to wait for, only a yield.
  public func sleep(for duration: Duration) async throws {
    await Task.yield()
  }
}
