import CertHookCore
import CertHookTestSupport
import CertificateKit
import Foundation
import XCTest

/// Listeners of different products change side by side even at `concurrency: 1`: each product has its own slots,
/// since each is its own API with its own limits.
final class ProductSlotsTests: XCTestCase {
  /// FakeCloud whose ALB association waits until an NLB association has started (it would wait forever if both
  /// products shared the one slot).
  actor Gate {
    private var nlbStarted = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func nlbStarts() {
      nlbStarted = true
      for w in waiting { w.resume() }
      waiting = []
    }

    func waitForNLB() async {
      if nlbStarted { return }
      await withCheckedContinuation { waiting.append($0) }
    }
  }

  struct GatedCloud: CloudBackend {
    let cloud: FakeCloud
    let gate: Gate

    func listListeners(loadBalancerIds: [String]) async throws -> [CloudListener] {
      try await cloud.listListeners(loadBalancerIds: loadBalancerIds)
    }
    func getListener(_ listenerId: String) async throws -> CloudListener { try await cloud.getListener(listenerId) }
    func listListenerCertificates(_ listenerId: String) async throws -> [CloudListenerCertificate] {
      try await cloud.listListenerCertificates(listenerId)
    }
    func associateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
      async throws -> [String]
    {
      if ListenerProduct(key: listenerId) == .nlb { await gate.nlbStarts() } else { await gate.waitForNLB() }
      return try await cloud.associateCertificates(
        listenerId: listenerId, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun)
    }
    func dissociateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
      async throws -> [String]
    {
      try await cloud.dissociateCertificates(
        listenerId: listenerId, certificateIds: certificateIds, clientToken: clientToken, dryRun: dryRun)
    }
    func replaceDefaultCertificate(listenerId: String, certificateId: String, clientToken: String, dryRun: Bool)
      async throws -> String?
    {
      try await cloud.replaceDefaultCertificate(
        listenerId: listenerId, certificateId: certificateId, clientToken: clientToken, dryRun: dryRun)
    }
    func waitForJob(_ jobId: String, timeout: Double) async throws { try await cloud.waitForJob(jobId, timeout: timeout) }
    func waitForListenerRunning(_ listenerId: String, timeout: Double) async throws {
      try await cloud.waitForListenerRunning(listenerId, timeout: timeout)
    }
    func searchCertificates(keyword: String) async throws -> [CloudCertificateSummary] {
      try await cloud.searchCertificates(keyword: keyword)
    }
    func listUploadedCertificates() async throws -> [CloudCertificateSummary] {
      try await cloud.listUploadedCertificates()
    }
    func certificateDetail(certId: Int) async throws -> CloudCertificateDetail? {
      try await cloud.certificateDetail(certId: certId)
    }
    func uploadCertificate(name: String, certificatePEM: String, keyPEM: String, clientToken: String) async throws -> Int {
      try await cloud.uploadCertificate(name: name, certificatePEM: certificatePEM, keyPEM: keyPEM, clientToken: clientToken)
    }
    func deleteCertificate(certId: Int) async throws { try await cloud.deleteCertificate(certId: certId) }
  }

  func testAnALBChangeWaitingOnItsAPIDoesNotHoldTheNLBListenersSlot() async throws {
    let cloud = FakeCloud()
    let def = try Fixtures.leaf(["default.test"])
    let defId = await cloud.addCAS(def)
    await cloud.addListener("lsr-a", loadBalancer: "alb-a", defaultCertificate: defId)
    await cloud.addListener("nlb:lsn-b", loadBalancer: "nlb:nlb-b", protocol: "TCPSSL", defaultCertificate: defId)
    let backend = GatedCloud(cloud: cloud, gate: Gate())
    let root = try Fixtures.tempDirectory()
    let result = try await AttachRunner(context: Fixtures.context(backend, concurrency: 1)).run(
      AttachRequest(
        certificate: try Fixtures.writeFullchain(try Fixtures.leaf(["example.test"]), in: root),
        listeners: ["lsr-a", "nlb:lsn-b"]))
    XCTAssertEqual(result.report.listeners.map(\.outcome), [.updated, .updated], "\(result.report)")
  }
}
