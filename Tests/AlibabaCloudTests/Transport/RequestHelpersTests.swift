@testable import AlibabaCloud
import Foundation
import XCTest

/// What runs on every request, without Foundation's string bridge: header names matched without case, byte by byte;
/// plain http allowed to loopback hosts only, brackets of an IPv6 literal trimmed; a parameter holding a private key
/// found wherever its marker stands.
final class RequestHelpersTests: XCTestCase {
  func testHeaderNamesMatchWithoutASCIICase() {
    let response = HTTPResponseSpec(
      status: 200, headers: [("X-Acs-Request-Id", "req-1"), ("content-TYPE", "application/json"), ("x-ä", "u")], body: [])
    XCTAssertEqual(response.header("x-acs-request-id"), "req-1")
    XCTAssertEqual(response.header("X-ACS-REQUEST-ID"), "req-1")
    XCTAssertEqual(response.header("Content-Type"), "application/json")
    XCTAssertNil(response.header("x-acs-request-i"), "a prefix is another name")
    XCTAssertNil(response.header("x-acs-request-idd"))
    // Only letters fold: `[` (0x5B) and `{` (0x7B) differ by the same 32 as `A` and `a`, yet are different bytes.
    XCTAssertFalse("x[".equalsIgnoringASCIICase("x{"))
    XCTAssertEqual(response.header("x-ä"), "u")
    let request = HTTPRequestSpec(method: "POST", url: URL(string: "http://127.0.0.1/")!, headers: [("Authorization", "a")])
    XCTAssertEqual(request.header("authorization"), "a")
  }

  func testLoopbackHostsAreRecognisedWithOrWithoutBrackets() {
    for host in ["127.0.0.1", "127.9.8.7", "localhost", "LOCALHOST", "::1", "[::1]", "[[::1]]", "0:0:0:0:0:0:0:1"] {
      XCTAssertTrue(EndpointPolicy.isLoopback(host: host), host)
    }
    for host in ["128.0.0.1", "127.0.0", "127.0.0.256", "example.com", "[::2]", "", "[]", "localhost.example.com"] {
      XCTAssertFalse(EndpointPolicy.isLoopback(host: host), host)
    }
  }

  func testAPrivateKeyMarkerIsFoundAnywhereInAValue() {
    for value in ["-----BEGIN PRIVATE KEY-----\nMII", "-----BEGIN EC PRIVATE KEY-----", "PRIVATE KEY", "xxPRIVATE KEY"] {
      XCTAssertTrue(SecretRedactor.holdsPrivateKeyMarker(value), value)
    }
    for value in ["", "PRIVATE KE", "PRIVATE_KEY", "private key", "PRIVATE  KEY", "lsr-a01-r1-1-01", "PRIVATE KEé"] {
      XCTAssertFalse(SecretRedactor.holdsPrivateKeyMarker(value), value)
    }
    // And so the redactor takes such a value for a secret, whatever its parameter's name.
    let redactor = SecretRedactor(credentials: nil, parameters: [("Blob", "-----BEGIN PRIVATE KEY-----\nABCDEFGHIJKLMNOPQRSTUV")])
    XCTAssertFalse(redactor.redact("echo: ABCDEFGHIJKLMNOPQRSTUV").contains("ABCDEFGHIJKLMNOPQRSTUV"))
  }
}
