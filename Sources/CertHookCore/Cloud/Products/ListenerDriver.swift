import Foundation

/// One product's listener operations, in the engine's terms: listeners and load balancers by their engine keys,
/// certificates by their CAS identifiers (`<CertId>-<region>`), statuses in ALB's words (`Running`, `Configuring`,
/// `Associated`), so planner and executor treat every product alike.
///
/// Rules a driver keeps: `associateCertificates` leaves the listener serving the new certificates for every name
/// they cover with no moment uncovered (a product that binds certificates per domain swaps a bound domain in
/// place); `dissociateCertificates` removes only the named certificates; writes throw `CertHookError` as
/// `CloudBackend` says (a busy listener at once, the executor retries it); returned job IDs are the driver's own and
/// come back to its `waitForJob`.
public protocol ListenerDriver: Sendable {
  /// The product this driver serves.
  var product: ListenerProduct { get }
  /// Every listener of the given load balancers (their engine keys), all protocols.
  func listListeners(loadBalancerKeys: [String]) async throws -> [CloudListener]
  /// One listener, with its status and default certificate.
  func getListener(_ address: ListenerAddress) async throws -> CloudListener
  /// The certificates on a listener, the default one included (`isDefault`).
  func listListenerCertificates(_ address: ListenerAddress) async throws -> [CloudListenerCertificate]
  /// Puts additional certificates on the listener; returns job IDs to wait for.
  func associateCertificates(_ address: ListenerAddress, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  /// Takes additional certificates off the listener; returns job IDs to wait for.
  func dissociateCertificates(_ address: ListenerAddress, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  /// Replaces the default certificate; returns a job ID to wait for, if any.
  func replaceDefaultCertificate(_ address: ListenerAddress, certificateId: String, clientToken: String, dryRun: Bool)
    async throws -> String?
  /// Waits until one of this driver's jobs has succeeded.
  func waitForJob(_ jobId: String, timeout: Double) async throws
  /// Waits until the listener takes changes again.
  func waitForListenerRunning(_ address: ListenerAddress, timeout: Double) async throws
  /// The DNS name clients reach the load balancer (its engine key) by, for TLS probes.
  func dnsName(loadBalancerKey: String) async throws -> String
  /// When to read the listener's certificates for the outcome of an association instead of asking for its job: nil
  /// when this product's listing does not show an association's progress (then its job is waited for).
  func associationWatch() async -> JobPollPacer.Waits?
}

extension ListenerDriver {
  /// Products whose listing does not show `Associating` -> `Associated` wait for the association's job.
  public func associationWatch() async -> JobPollPacer.Waits? { nil }

  /// A product whose API names no DNS name for its load balancers cannot be probed by name.
  public func dnsName(loadBalancerKey: String) async throws -> String {
    throw ProbeFailure("\(product.displayName) load balancer \(loadBalancerKey): no DNS name lookup for this product")
  }
}
