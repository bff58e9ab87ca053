import AlibabaCloud
import Foundation
import XCTest
import CertHookTestSupport

/// No secret, token, signature or private key may reach a log line or an error, at trace level.
final class SecretLeakTests: XCTestCase {
  func testTraceLogsAndErrorsNeverContainSecrets() async throws {
    let capture = LogCapture()
    let clock = TestClock(Fixtures.clientStart)
    var signatures: [String] = []
    let transport = FakeTransport { request, index in
      switch index {
      case 0: return FakeTransport.error(400, code: "Throttling.User")
      case 1: return FakeTransport.error(400, code: "SignatureDoesNotMatch", message: "Specified signature is not matched with our calculation. server string to sign is:ACS3-HMAC-SHA256\nabc")
      default: return FakeTransport.json(["RequestId": "r", "CertId": 1])
      }
    }
    let creds = AccessCredentials(accessKeyId: "testid", accessKeySecret: Fixtures.secret, securityToken: Fixtures.stsToken)
    let config = Fixtures.configuration(clock: clock, logger: capture.logger(level: .trace))
    let alb = try ALBClient(configuration: config, credentials: StaticCredentialProvider(creds), transport: transport)
    let cas = try CASClient(configuration: config, credentials: StaticCredentialProvider(creds), transport: transport)
    do {
      _ = try await alb.getListenerAttribute(listenerId: "lsr-1")
      XCTFail("expected SignatureDoesNotMatch")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.apiCode, "SignatureDoesNotMatch")
      XCTAssertFalse(error.description.contains(Fixtures.secret))
    }
    _ = try await cas.uploadUserCertificate(
      name: "n", certificatePEM: "CERT", keyPEM: "-----BEGIN PRIVATE KEY-----\nPRIVATE-DO-NOT-LEAK\n-----END PRIVATE KEY-----",
      clientToken: "c")
    for request in transport.requests {
      if let auth = request.header("authorization"), let parsed = ACS3Signature.parseAuthorization(auth) {
        signatures.append(parsed.signature)
      }
    }
    XCTAssertEqual(signatures.count, 3)
    XCTAssertEqual(transport.requests[0].header("x-acs-security-token"), Fixtures.stsToken)
    let logs = capture.text
    XCTAssertFalse(logs.isEmpty)
    XCTAssertTrue(logs.contains("GetListenerAttribute"))
    XCTAssertTrue(logs.contains("req-Throttling.User"), "request ids are logged")
    for forbidden in [Fixtures.secret, Fixtures.stsToken, "PRIVATE-DO-NOT-LEAK"] + signatures {
      XCTAssertFalse(logs.contains(forbidden), "log leaked \(forbidden.prefix(6))...")
    }
  }
}
