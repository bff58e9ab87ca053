import AlibabaCloud
import CertHookCore
import XCTest

/// Issue 13: the executor recognises CLB's answers from the action table, per product: the extension quota as a
/// quota refusal (with the usage the driver reports), CLB's busy codes as busy, and the region's server-certificate
/// quota as a failure at once (no slot another listener could free).
final class CLBAnswerTests: XCTestCase {
  func answer(_ code: String, action: String, product: ApiAction.Product?, message: String = "refused") -> CertHookError
  {
    .api(AlibabaCloudError(kind: .api, action: action, product: product, httpStatus: 400, code: code, message: message))
  }

  func testTheExtensionQuotaIsAQuotaRefusalOfCLBOnly() {
    let refused = answer(
      "QuotaExceeded.DomainExtension", action: "CreateDomainExtension", product: .slb,
      message: "The quota of 3 domain extensions is exceeded. (CLB listener clb:lb-1:443 holds 3 domain extensions, "
        + "all it takes; certificates on them: usage 2/2)")
    XCTAssertEqual(ListenerAnswer.classify(refused), .quotaFull)
    XCTAssertEqual(ListenerAnswer.reportedQuota(refused), 2)
    XCTAssertEqual(
      ChangeDecision.after(.failure(refused), kind: .associate, sends: 1, listenerId: "clb:lb-1:443"),
      .quotaRefused(quota: 2))
    // The same code from an action or product whose row does not list it is no quota answer.
    XCTAssertEqual(
      ListenerAnswer.classify(answer("QuotaExceeded.DomainExtension", action: "CreateDomainExtension", product: nil)),
      .other)
    XCTAssertEqual(
      ListenerAnswer.classify(answer("QuotaExceeded.DomainExtension", action: "DeleteDomainExtension", product: .slb)),
      .other)
    // ALB's code keeps its meaning.
    XCTAssertEqual(
      ListenerAnswer.classify(
        answer(ListenerAnswer.quotaCode, action: "AssociateAdditionalCertificatesWithListener", product: .alb)),
      .quotaFull)
  }

  func testCLBBusyCodesAreBusyAndTheServerCertificateQuotaFailsAtOnce() {
    for code in ["DomainExtensionProcessing", "ServiceIsConfiguring", "OperationFailed.ListenerStatusNotSupport"] {
      XCTAssertEqual(ListenerAnswer.classify(answer(code, action: "CreateDomainExtension", product: .slb)), .busy, code)
    }
    let full = answer("QuotaExceeded.ServerCertificate", action: "UploadServerCertificate", product: .slb)
    XCTAssertEqual(ListenerAnswer.classify(full), .other)
    XCTAssertEqual(
      ChangeDecision.after(.failure(full), kind: .associate, sends: 1, listenerId: "clb:lb-1:443"), .fail(full))
  }
}
