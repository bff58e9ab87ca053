import AlibabaCloud
import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

/// Issue 8 "one table of API actions" and issue 9 "retry what Terraform retries": every list of actions, codes
/// and limits is read from `ApiAction`.
final class ApiActionTests: XCTestCase {
  func testTheTableNamesEveryActionOnceWithItsProductAndVersion() {
    // Issue 13: names repeat across products (NLB and GA have `ListListeners` too), so a row is unique by product
    // and name, and the names of ALB, CAS and STS stay unique among themselves.
    let keys = ApiAction.all.map { "\($0.product.rawValue)/\($0.name)" }
    XCTAssertEqual(keys.count, Set(keys).count)
    let names = ApiAction.all.filter { [.alb, .cas, .sts].contains($0.product) }.map(\.name)
    XCTAssertEqual(names.count, Set(names).count)
    XCTAssertEqual(ApiAction.actions(of: .alb).count, 8)
    XCTAssertEqual(ApiAction.actions(of: .cas).count, 4)
    // Issue 15 adds the two role-assumption actions to STS.
    XCTAssertEqual(ApiAction.actions(of: .sts).map(\.name), ["GetCallerIdentity", "AssumeRole", "AssumeRoleWithOIDC"])
    XCTAssertEqual(ApiAction.named("GetCallerIdentity")?.version, STSClient.version)
    XCTAssertEqual(ApiAction.named("UploadUserCertificate")?.version, "2020-04-07")
    XCTAssertEqual(ApiAction.named("ListAsynJobs")?.version, "2020-06-16")
    XCTAssertEqual(ALBClient.version, ApiAction.Product.alb.version)
    XCTAssertEqual(CASClient.version, ApiAction.Product.cas.version)
    XCTAssertEqual(
      Set(ApiAction.all.filter { $0.isWrite && [.alb, .cas, .sts].contains($0.product) }.map(\.name)),
      [
        "AssociateAdditionalCertificatesWithListener", "DissociateAdditionalCertificatesFromListener",
        "UpdateListenerAttribute", "UploadUserCertificate", "DeleteUserCertificate",
      ])
    // Issue 13 adds the writes of NLB, GA and CLB; each name appears once.
    XCTAssertEqual(ApiAction.writeActionNames.count, Set(ApiAction.writeActionNames).count)
    XCTAssertTrue(
      Set(ApiAction.writeActionNames).isSuperset(of: [
        "DisassociateAdditionalCertificatesWithListener", "UpdateAdditionalCertificateWithListener", "UpdateListener",
        "SetLoadBalancerHTTPSListenerAttribute", "UploadServerCertificate", "DeleteServerCertificate",
        "CreateDomainExtension", "SetDomainExtensionAttribute", "DeleteDomainExtension",
      ]))
  }

  /// Issue 13: lookups by product or version find each product's row of a shared name; its busy codes are the
  /// product's (what Terraform retries), and no published limit is claimed for NLB, GA or CLB (none is confirmed).
  func testSharedNamesAreLookedUpByProductOrVersion() {
    XCTAssertEqual(ApiAction.actions(of: .nlb).count, 8, "the seven of the spec and GetLoadBalancerAttribute (probe)")
    XCTAssertEqual(ApiAction.actions(of: .ga).count, 8)
    XCTAssertEqual(ApiAction.actions(of: .slb).count, 10, "the nine of the spec and DescribeLoadBalancerAttribute")
    XCTAssertEqual(
      ApiAction.named("CreateDomainExtension", product: .slb)?.quotaCodes, ["QuotaExceeded.DomainExtension"])
    XCTAssertTrue(
      ApiAction.isQuotaFull("QuotaExceeded.DomainExtension", action: "CreateDomainExtension", product: .slb))
    XCTAssertFalse(
      ApiAction.isQuotaFull("QuotaExceeded.DomainExtension", action: "CreateDomainExtension", product: nil))
    XCTAssertEqual(ApiAction.named("ListListeners")?.product, .alb)
    XCTAssertEqual(ApiAction.named("ListListeners", version: "2022-04-30")?.product, .nlb)
    XCTAssertEqual(ApiAction.named("ListListeners", version: "2019-11-20")?.product, .ga)
    XCTAssertNil(ApiAction.named("ListListeners", version: "2014-05-15"))
    XCTAssertNil(ApiAction.named("GetJobStatus"), "an NLB-only name is not an ALB row")
    XCTAssertEqual(ApiAction.named("GetJobStatus", product: .nlb)?.version, "2022-04-30")
    XCTAssertTrue(
      ApiAction.named("UpdateListenerAttribute", product: .nlb)?.busyCodes.contains("Conflict.Lock") ?? false)
    XCTAssertTrue(
      ApiAction.named("UpdateListener", product: .ga)?.busyCodes.contains("StateError.Accelerator") ?? false)
    XCTAssertTrue(
      ApiAction.named("SetDomainExtensionAttribute", product: .slb)?.busyCodes.contains("DomainExtensionProcessing")
        ?? false)
    XCTAssertTrue(
      ApiAction.all.filter { [.nlb, .ga, .slb].contains($0.product) }.allSatisfy { $0.publishedLimit == nil })
    XCTAssertFalse(ApiAction.isBusy("StateError.Accelerator", action: "UpdateListenerAttribute"))
  }

  func testPublishedLimitsComeFromTheTable() {
    XCTAssertEqual(RateLimit.publishedDefaults.count, ApiAction.all.filter { $0.publishedLimit != nil }.count)
    XCTAssertEqual(RateLimit.publishedDefaults["UpdateListenerAttribute"], RateLimit(requests: 200, per: .seconds(60)))
    XCTAssertEqual(RateLimit.publishedDefaults["ListUserCertificateOrder"], RateLimit(requests: 10, per: .seconds(1)))
    XCTAssertNil(RateLimit.publishedDefaults["ListListeners"])
  }

  /// Terraform's alicloud_alb_listener retries these around UpdateListenerAttribute.
  func testUpdateListenerAttributeRetriesWhatTerraformRetries() {
    let terraform: Set<String> = [
      "IncorrectBusinessStatus.LoadBalancer", "VipStatusNotSupport", "SystemBusy", "IdempotenceProcessing",
      "IncorrectStatus.Listener",
    ]
    let update = ApiAction.named("UpdateListenerAttribute")
    XCTAssertTrue(terraform.isSubset(of: update?.retryableCodes ?? []))
    for code in terraform {
      let error = AlibabaCloudError(
        kind: .api, action: "UpdateListenerAttribute", httpStatus: 400, code: code, message: "")
      XCTAssertTrue(error.isRetryable, code)
    }
    // A busy load balancer is a reason to retry a default-certificate change, not an association.
    let associate = AlibabaCloudError(
      kind: .api, action: "AssociateAdditionalCertificatesWithListener", httpStatus: 400,
      code: "IncorrectBusinessStatus.LoadBalancer", message: "")
    XCTAssertFalse(associate.isRetryable)
    XCTAssertTrue(ApiAction.isBusy("IncorrectBusinessStatus.LoadBalancer", action: "UpdateListenerAttribute"))
    XCTAssertFalse(ApiAction.isBusy("IncorrectBusinessStatus.LoadBalancer", action: "ListListeners"))
    XCTAssertTrue(RetryPolicy.busyCodes.isSuperset(of: ApiAction.listenerBusyCodes))
  }

  /// The client rides out a briefly busy load balancer (`--faults busy-lb=P`) when replacing a default certificate.
  func testClientRetriesABusyLoadBalancerUntilTheChangeIsApplied() async throws {
    let h = try await EmulatorHarness.start { configuration in
      configuration.faults = FaultSpec(busyLoadBalancer: 0.5)
      configuration.faultSeed = 7
    }
    do {
      let pair = try EmulatorHarness.certificate("busy.example.com", serial: 9)
      let up = try await h.cas.uploadUserCertificate(name: "busy", certificatePEM: pair.cert, keyPEM: pair.key)
      let identifier = "\(up.certId)-cn-hangzhou"
      var applied = 0
      for _ in 0..<4 {
        let job = try await h.alb.updateListenerDefaultCertificate(
          listenerId: "lsr-emulator-443", certificateId: identifier)
        try await h.alb.waitForJob(jobId: job)
        applied += 1
      }
      XCTAssertEqual(applied, 4)
      let log = await h.server.requestLog()
      let busy = log.filter { $0.fault == "busy-lb" }
      XCTAssertGreaterThan(busy.count, 0, "the fault was drawn")
      XCTAssertTrue(
        busy.allSatisfy { $0.action == "UpdateListenerAttribute" && $0.code == "IncorrectBusinessStatus.LoadBalancer" })
      let attribute = try await h.alb.getListenerAttribute(listenerId: "lsr-emulator-443")
      XCTAssertEqual(attribute.defaultCertificateId, identifier)
    } catch {
      await h.stop()
      throw error
    }
    await h.stop()
  }
}
