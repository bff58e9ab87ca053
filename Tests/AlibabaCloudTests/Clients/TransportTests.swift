@testable import AlibabaCloud
import Foundation
import XCTest

final class TransportTests: XCTestCase {
  func testPlainHTTPToNonLoopbackIsRefusedBeforeConnecting() async throws {
    let transport = AsyncHTTPClientTransport()
    do {
      _ = try await transport.send(HTTPRequestSpec(method: "POST", url: try XCTUnwrap(URL(string: "http://192.0.2.1/"))))
      XCTFail("expected a configuration error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .configuration)
      XCTAssertTrue(error.message.contains("loopback"), error.message)
    }
    try await transport.shutdown()
  }

  /// Issue 10 part 4 changed this on purpose: a refused connection used to be retried 8 times (52 s); nobody
  /// listens there, so it now fails at once.
  func testConnectionRefusedIsATransportErrorThatIsNotRetried() async throws {
    let transport = AsyncHTTPClientTransport(timeouts: .init(connect: .milliseconds(300), read: .seconds(1), overall: .seconds(2)))
    do {
      _ = try await transport.send(HTTPRequestSpec(method: "GET", url: try XCTUnwrap(URL(string: "http://127.0.0.1:1/"))))
      XCTFail("expected a transport error")
    } catch let error as AlibabaCloudError {
      XCTAssertEqual(error.kind, .transport)
      XCTAssertFalse(error.isRetryable)
      XCTAssertTrue(error.connectionRefused)
    }
    try await transport.shutdown()
  }

  func testAlibabaCloudErrorDescriptions() {
    let api = AlibabaCloudError(
      kind: .api, action: "AssociateAdditionalCertificatesWithListener", httpStatus: 400, code: "IncorrectStatus.Listener",
      message: "The status of lsr-1 [Configuring] is incorrect.", requestId: "R1", recommend: "https://api.aliyun.com/x")
    XCTAssertEqual(
      api.description,
      "AssociateAdditionalCertificatesWithListener: IncorrectStatus.Listener: The status of lsr-1 [Configuring] is incorrect. (http 400, request id R1, see https://api.aliyun.com/x)"
    )
    XCTAssertTrue(api.isRetryable)
    let body = Array(String(repeating: "y", count: 1000).utf8)
    let invalid = AlibabaCloudError.invalidResponse(action: "ListListeners", status: 200, body: body, reason: "not json")
    XCTAssertFalse(invalid.isRetryable)
    XCTAssertLessThan(invalid.message.count, 230)
    XCTAssertFalse(AlibabaCloudError.credentials("x").isRetryable)
    XCTAssertEqual(
      AcsRPCClient.redactStringToSign("Specified signature is not matched. server string to sign is:ACS3\nabc"),
      "Specified signature is not matched. server string to sign is: <omitted>")
  }
}

/// A failed certificate verification is a configuration problem, not a network hiccup: never retried.
final class CertificateVerificationClassificationTests: XCTestCase {
  func testBoringSSLVerifyFailureIsRecognised() {
    let text = "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL routines:"
      + "OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at handshake.cc:320]))"
    XCTAssertEqual(AsyncHTTPClientTransport.certificateVerificationFailure(text), "CERTIFICATE_VERIFY_FAILED")
    XCTAssertNotNil(AsyncHTTPClientTransport.certificateVerificationFailure("NIOSSLExtraError.failedToValidateHostname"))
    XCTAssertNil(AsyncHTTPClientTransport.certificateVerificationFailure("connection reset by peer (errno: 104)"))
    XCTAssertNil(AsyncHTTPClientTransport.certificateVerificationFailure("uncleanShutdown"))
  }

  func testConfigurationErrorsAreNotRetried() {
    XCTAssertFalse(AlibabaCloudError.configuration("TLS certificate verification failed").isRetryable)
    XCTAssertTrue(AlibabaCloudError.transport("connection reset").isRetryable)
  }
}
