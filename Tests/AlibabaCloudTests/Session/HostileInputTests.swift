@testable import AlibabaCloud
import Foundation
import Logging
import XCTest
import CertHookTestSupport

/// Issue 11 items 5, 6 and 8: credentials with control bytes are refused when loaded (naming the source, never
/// the value) and a request that cannot be built is never retried; secrets echoed by a server and its control
/// characters never reach an error message or a log line.
final class HostileInputTests: XCTestCase {
  private let token = "sts-token-with\nnewline-DO-NOT-LEAK"

  func testEnvironmentTokenWithControlBytesIsRefusedNamingTheVariable() async throws {
    for bad in [token, "tok\ren", "tok\u{7}en", "tok\u{1b}[2Jen"] {
      let provider = EnvironmentCredentialProvider(environment: [
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "secret-value",
        "ALIBABA_CLOUD_SECURITY_TOKEN": bad,
      ])
      do {
        _ = try await provider.credentials()
        XCTFail("a token with a control byte must be refused")
      } catch let error as AlibabaCloudError {
        XCTAssertEqual(error.kind, .credentials)
        XCTAssertTrue(error.message.contains("ALIBABA_CLOUD_SECURITY_TOKEN"), error.message)
        XCTAssertFalse(error.description.contains("tok"), error.description)
        XCTAssertFalse(error.isRetryable)
      }
    }
  }

  func testProfileAndINIValuesAreCheckedAndTheChainStopsThere() async throws {
    let files: [String: [UInt8]] = [
      "/h/.aliyun/config.json": Array(
        #"{"profiles": [{"name": "default", "mode": "StsToken", "access_key_id": "a", "access_key_secret": "b", "sts_token": "x\ny"}]}"#.utf8),
      "/h/.alibabacloud/credentials": Array("[default]\naccess_key_id = good\naccess_key_secret = fine\n".utf8),
    ]
    let chain = CredentialChain.standard(
      explicit: nil, environment: [:], homeDirectory: "/h", readFile: { files[$0] }, metadata: nil)
    do {
      _ = try await chain.resolve()
      XCTFail("the profile's token is unusable: the chain must not sign as the INI file's identity instead")
    } catch let error as AlibabaCloudError {
      XCTAssertTrue(error.message.contains("/h/.aliyun/config.json: profile default: sts_token"), error.message)
    }
  }

  /// A request whose headers cannot be sent fails at once, without a send and without a retry.
  func testRequestThatCannotBeBuiltIsNeverSentNorRetried() async throws {
    let clock = TestClock(Fixtures.clientStart)
    let transport = FakeTransport { _, _ in FakeTransport.json(["RequestId": "r"]) }
    let credentials = AccessCredentials(accessKeyId: "id", accessKeySecret: Fixtures.secret, securityToken: token)
    let alb = try Fixtures.alb(transport, clock: clock, credentials: credentials)
    do {
      _ = try await alb.getListenerAttribute(listenerId: "lsr-1")
      XCTFail("expected a configuration error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .configuration)
      XCTAssertFalse(error.isRetryable)
      XCTAssertTrue(error.message.contains("x-acs-security-token"), error.message)
      XCTAssertFalse(error.description.contains("DO-NOT-LEAK"))
    }
    XCTAssertEqual(transport.requests.count, 0)
    XCTAssertTrue(clock.recordedSleeps.isEmpty, "no retry")
  }

  /// An endpoint whose Message (and every other field) echoes the request: secret, token, signature and key are
  /// redacted; ANSI escapes and CR are escaped.
  func testEchoedSecretsAreRedactedFromEveryFieldOfAnError() async throws {
    let capture = LogCapture()
    let clock = TestClock(Fixtures.clientStart)
    let key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPRIVATEKEYBODY\n-----END PRIVATE KEY-----\n"
    let stsToken = Fixtures.stsToken
    let transport = FakeTransport { request, _ in
      let echo = "\u{1b}[31mred\u{1b}[0m\r" + (request.header("authorization") ?? "") + " token=" + stsToken
        + " secret=" + Fixtures.secret + " form=" + String(decoding: request.body, as: UTF8.self) + " key=" + key
      return FakeTransport.json(
        ["RequestId": "req\u{1b}]0;title\u{7}", "Code": "InvalidParameter", "Message": echo, "Recommend": echo, "HostId": echo],
        status: 400)
    }
    let config = Fixtures.configuration(clock: clock, logger: capture.logger(level: .trace))
    let credentials = AccessCredentials(accessKeyId: "testid", accessKeySecret: Fixtures.secret, securityToken: stsToken)
    let cas = try CASClient(configuration: config, credentials: StaticCredentialProvider(credentials), transport: transport)
    do {
      _ = try await cas.uploadUserCertificate(name: "n", certificatePEM: "CERT", keyPEM: key, clientToken: "c")
      XCTFail("expected the API error")
    } catch let error as AlibabaCloudError {
      let signature = try XCTUnwrap(
        transport.requests.first?.header("authorization").flatMap(ACS3Signature.parseAuthorization)?.signature)
      let text = error.description + (error.recommend ?? "") + (error.hostId ?? "")
      for forbidden in [Fixtures.secret, stsToken, signature, "PRIVATEKEYBODY", "BEGIN PRIVATE KEY", "\u{1b}", "\r", "\u{7}"] {
        XCTAssertFalse(text.contains(forbidden), "leaked \(forbidden.debugDescription.prefix(12)): \(text)")
        XCTAssertFalse(capture.text.contains(forbidden) && forbidden.count > 3, "log leaked \(forbidden.prefix(6))")
      }
      XCTAssertTrue(error.message.contains(SecretRedactor.placeholder), error.message)
      XCTAssertTrue(error.message.contains("\\u{1b}[31mred"), error.message)
      XCTAssertEqual(error.requestId, "req\\u{1b}]0;title\\u{7}")
    }
  }

  func testInvalidResponseBodiesAreRedactedAndEscaped() {
    let redactor = SecretRedactor(secrets: ["abcdef-secret"])
    let error = AlibabaCloudError.invalidResponse(
      action: "ListListeners", status: 502, body: Array("oops abcdef-secret \u{1b}[2J Signature=deadbeef".utf8),
      reason: "not json", redactor: redactor)
    XCTAssertFalse(error.message.contains("abcdef-secret"))
    XCTAssertFalse(error.message.contains("deadbeef"))
    XCTAssertFalse(error.message.contains("\u{1b}"))
    XCTAssertEqual(NetworkText.escaped("a\u{1b}b\u{9b}c\td"), "a\\u{1b}b\\u{9b}c\\td")
  }
}
