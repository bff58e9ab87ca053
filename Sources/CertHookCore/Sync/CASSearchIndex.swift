import Foundation
import NIOConcurrencyHelpers

/// A `CloudBackend` that answers CAS keyword searches from one listing of every uploaded certificate, taken once
/// per run, instead of one rate-limited `ListUserCertificateOrder` search (10 per second) per certificate.
///
/// Everything else goes to the wrapped backend. A search matches what CAS's fuzzy search matches (the keyword in
/// the name, common name or a SAN); callers check the SHA-256 of what they find, as with a real search. Once an
/// upload fails (another process may have uploaded meanwhile) searches go to CAS again.
struct CASSearchIndex: CloudBackend {
  let base: any CloudBackend
  let listing: [CloudCertificateSummary]
  /// Per certificate, the lower-case UTF-8 bytes of its name, common name, ID and SANs, NUL-separated: lowered
  /// once per run, not once per search (a run of N certificates searches N times through N certificates).
  private let haystacks: [[UInt8]]
  private let stale = StaleFlag()

  /// Lists every uploaded certificate once through `base`.
  init(base: any CloudBackend) async throws {
    self.base = base
    self.listing = try await base.listUploadedCertificates()
    self.haystacks = listing.map { s in
      Array(([s.name, s.commonName ?? "", String(s.certId)] + s.sans).joined(separator: "\0").lowercased().utf8)
    }
  }

  func searchCertificates(keyword: String) async throws -> [CloudCertificateSummary] {
    if stale.isSet { return try await base.searchCertificates(keyword: keyword) }
    let needle = Array(keyword.lowercased().utf8)
    guard !needle.isEmpty, !needle.contains(0) else { return [] }
    return zip(listing, haystacks).filter { Self.contains($0.1, needle) }.map(\.0)
  }

  /// A plain byte search over buffers, not a generic collection algorithm (this runs N x N times a run).
  private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    haystack.withUnsafeBufferPointer { h in
      needle.withUnsafeBufferPointer { n in
        guard let first = n.first, n.count <= h.count else { return false }
        var start = 0
        while start + n.count <= h.count {
          if h[start] == first {
            var k = 1
            while k < n.count, h[start + k] == n[k] { k += 1 }
            if k == n.count { return true }
          }
          start += 1
        }
        return false
      }
    }
  }

  func uploadCertificate(name: String, certificatePEM: String, keyPEM: String, clientToken: String) async throws -> Int {
    do {
      return try await base.uploadCertificate(
        name: name, certificatePEM: certificatePEM, keyPEM: keyPEM, clientToken: clientToken)
    } catch {
      stale.set()
      throw error
    }
  }

  func listListeners(loadBalancerIds: [String]) async throws -> [CloudListener] {
    try await base.listListeners(loadBalancerIds: loadBalancerIds)
  }

  func getListener(_ listenerId: String) async throws -> CloudListener {
    try await base.getListener(listenerId)
  }

  func listListenerCertificates(_ listenerId: String) async throws -> [CloudListenerCertificate] {
    try await base.listListenerCertificates(listenerId)
  }

  func associateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  {
    try await base.associateCertificates(
      listenerId: listenerId, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun)
  }

  func dissociateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  {
    try await base.dissociateCertificates(
      listenerId: listenerId, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun)
  }

  func replaceDefaultCertificate(listenerId: String, certificateId: String, clientToken: String, dryRun: Bool)
    async throws -> String?
  {
    try await base.replaceDefaultCertificate(
      listenerId: listenerId, certificateId: certificateId, clientToken: clientToken, dryRun: dryRun)
  }

  func waitForJob(_ jobId: String, timeout: Double) async throws {
    try await base.waitForJob(jobId, timeout: timeout)
  }

  func associationWatch(forJob jobId: String) async -> JobPollPacer.Waits? {
    await base.associationWatch(forJob: jobId)
  }

  func sleep(for duration: Duration) async throws {
    try await base.sleep(for: duration)
  }

  func listAccountListeners(_ product: ListenerProduct) async throws -> [CloudListener] {
    try await base.listAccountListeners(product)
  }

  func waitForListenerRunning(_ listenerId: String, timeout: Double) async throws {
    try await base.waitForListenerRunning(listenerId, timeout: timeout)
  }

  func listUploadedCertificates() async throws -> [CloudCertificateSummary] {
    try await base.listUploadedCertificates()
  }

  func certificateDetail(certId: Int) async throws -> CloudCertificateDetail? {
    try await base.certificateDetail(certId: certId)
  }

  func deleteCertificate(certId: Int) async throws {
    try await base.deleteCertificate(certId: certId)
  }
}

/// A flag set once, read from concurrent tasks.
final class StaleFlag: Sendable {
  private let value = NIOLockedValueBox(false)

  var isSet: Bool {
    value.withLockedValue { $0 }
  }

  func set() {
    value.withLockedValue { $0 = true }
  }
}
