import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// `CertificateFactory` behaviour beyond field round trips: determinism, defaults and invalid requests.
final class CertificateFactoryTests: XCTestCase {
  func testSameRequestAndKeysGiveTheSameCertificate() throws {
    let key = try DeterministicKeys.ed25519(9)
    let first = try CertificateFactory.issue(Fixtures.leafRequest(), subjectKey: key, issuer: nil)
    let second = try CertificateFactory.issue(Fixtures.leafRequest(), subjectKey: key, issuer: nil)
    XCTAssertEqual(first, second)
    XCTAssertEqual(first.serialNumber.count, 32)
    let other = try CertificateFactory.issue(Fixtures.leafRequest("other.example"), subjectKey: key, issuer: nil)
    XCTAssertNotEqual(first.serialNumber, other.serialNumber)
  }

  func testIssuedLeafChainsToItsIssuer() throws {
    let chain = try Fixtures.chain()
    XCTAssertEqual(chain.leaf.issuer, chain.intermediate.subject)
    XCTAssertNil(CertificateChecker.chainFindingForTests([chain.leaf, chain.intermediate, chain.root]))
    XCTAssertEqual(chain.intermediate.keyUsage, [.digitalSignature, .keyCertSign, .cRLSign])
    XCTAssertEqual(chain.leaf.keyUsage, [.digitalSignature])
  }

  func testInvalidRequestsThrow() throws {
    let key = try Fixtures.key(Fixtures.ecKey)
    var requests: [CertificateFactory.Request] = []
    var request = Fixtures.leafRequest()
    request.dnsNames = ["a.example,IP:1.2.3.4"]
    requests.append(request)
    request = Fixtures.leafRequest()
    request.ipAddresses = ["not-an-ip"]
    requests.append(request)
    request = Fixtures.leafRequest()
    request.extendedKeyUsages = []
    requests.append(request)
    request = Fixtures.leafRequest()
    request.extendedKeyUsages = ["noSuchUsage"]
    requests.append(request)
    request = Fixtures.leafRequest()
    request.notAfter = Date(timeIntervalSince1970: 253_402_300_800)  // year 10000
    requests.append(request)
    for request in requests {
      XCTAssertThrowsError(try CertificateFactory.issue(request, subjectKey: key, issuer: nil)) { error in
        guard case .invalidRequest? = error as? CertificateKitError else { return XCTFail("\(error)") }
      }
    }
  }
}

extension CertificateChecker {
  /// The chain order/signature finding alone, through the public API.
  static func chainFindingForTests(_ chain: [Certificate]) -> Finding? {
    check(chain: chain, key: nil, domains: [], now: Fixtures.now).first {
      $0.code == .chainBroken || $0.code == .chainOutOfOrder
    }
  }
}
