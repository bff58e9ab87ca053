import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Every finding, its absence, severities and `blocksDeployment`.
final class CertificateCheckerTests: XCTestCase {
  private let now = Fixtures.now
  private let day = Fixtures.day

  private func codes(_ findings: [Finding]) -> [FindingCode] { findings.map(\.code) }

  private func leaf(_ configure: (inout CertificateFactory.Request) -> Void, key: PrivateKey? = nil) throws
    -> Certificate
  {
    var request = Fixtures.leafRequest()
    configure(&request)
    return try CertificateFactory.issue(request, subjectKey: try key ?? Fixtures.key(Fixtures.ecKey), issuer: nil)
  }

  func testHealthyChainHasNoFindings() throws {
    let chain = try Fixtures.chain()
    let findings = CertificateChecker.check(
      chain: [chain.leaf, chain.intermediate, chain.root], key: chain.leafKey, domains: ["www.example.com"], now: now)
    XCTAssertEqual(findings, [])
    XCTAssertTrue(CertificateChecker.isDeployable(findings))
  }

  func testExpiryWindows() throws {
    let cases: [(TimeInterval, FindingCode?, Severity?, ExpiryStatus)] = [
      (-1, .expired, .critical, .expired),
      (6 * day, .expiresVerySoon, .critical, .critical),
      (7 * day - 1, .expiresVerySoon, .critical, .critical),
      (7 * day, .expiresSoon, .warning, .warning),
      (29 * day, .expiresSoon, .warning, .warning),
      (30 * day, nil, nil, .ok),
    ]
    for (remaining, code, severity, status) in cases {
      let certificate = try leaf { $0.notAfter = self.now + remaining }
      let findings = CertificateChecker.check(chain: [certificate], key: nil, domains: [], now: now)
      XCTAssertEqual(findings.map(\.code), code.map { [$0] } ?? [], "remaining \(remaining)")
      XCTAssertEqual(findings.first?.severity, severity)
      XCTAssertEqual(findings.first?.certificateIndex, code == nil ? nil : 0)
      XCTAssertEqual(ExpiryStatus.of(certificate, now: now, policy: CheckPolicy()), status)
      XCTAssertEqual(CertificateChecker.isDeployable(findings), code != .expired)
    }
    let expired = try leaf { $0.notAfter = self.now - 3 * self.day }
    let message = CertificateChecker.check(chain: [expired], key: nil, domains: [], now: now).first?.message ?? ""
    XCTAssertTrue(message.contains("expired on 2027-01-12T08:00:00Z"), message)
    XCTAssertTrue(message.contains("3 days ago"), message)
  }

  func testCustomPolicy() throws {
    let certificate = try leaf { $0.notAfter = self.now + 50 * self.day }
    let policy = CheckPolicy(warningDays: 60, criticalDays: 10)
    XCTAssertEqual(
      codes(CertificateChecker.check(chain: [certificate], key: nil, domains: [], now: now, policy: policy)),
      [.expiresSoon])
    XCTAssertEqual(ExpiryStatus.of(certificate, now: now, policy: policy), .warning)
    XCTAssertEqual(
      ExpiryStatus.of(certificate, now: now, policy: CheckPolicy(warningDays: 70, criticalDays: 60)), .critical)
  }

  func testNotYetValid() throws {
    let certificate = try leaf { $0.notBefore = self.now + 1 }
    let findings = CertificateChecker.check(chain: [certificate], key: nil, domains: [], now: now)
    XCTAssertEqual(codes(findings), [.notYetValid])
    XCTAssertTrue(findings[0].blocksDeployment)
    XCTAssertEqual(ExpiryStatus.of(certificate, now: now, policy: CheckPolicy()), .notYetValid)
    XCTAssertEqual(ExpiryStatus.notYetValid.rawValue, "not-yet-valid")
  }

  func testNotServerAuthByEKUAndKeyUsage() throws {
    let clientOnly = try leaf { $0.extendedKeyUsages = ["clientAuth"] }
    var findings = CertificateChecker.check(chain: [clientOnly], key: nil, domains: [], now: now)
    XCTAssertEqual(codes(findings), [.notServerAuth])
    XCTAssertTrue(findings[0].message.contains("serverAuth"), findings[0].message)
    XCTAssertFalse(CertificateChecker.isDeployable(findings))

    for usages in [["serverAuth", "clientAuth"], ["anyExtendedKeyUsage"]] {
      let ok = try leaf { $0.extendedKeyUsages = usages }
      XCTAssertEqual(CertificateChecker.check(chain: [ok], key: nil, domains: [], now: now), [])
    }
    let noEKU = try leaf { $0.extendedKeyUsages = nil }
    XCTAssertEqual(CertificateChecker.check(chain: [noEKU], key: nil, domains: [], now: now), [])

    let ecWithoutSignature = try leaf { $0.keyUsage = [.keyAgreement] }
    findings = CertificateChecker.check(chain: [ecWithoutSignature], key: nil, domains: [], now: now)
    XCTAssertEqual(codes(findings), [.notServerAuth])
    XCTAssertTrue(findings[0].message.contains("digitalSignature"), findings[0].message)
    let ecKeyEncipherment = try leaf { $0.keyUsage = [.keyEncipherment] }
    XCTAssertEqual(
      codes(CertificateChecker.check(chain: [ecKeyEncipherment], key: nil, domains: [], now: now)), [.notServerAuth])

    let rsa = try Fixtures.key(Fixtures.rsaKey)
    let rsaEncipherment = try leaf({ $0.keyUsage = [.keyEncipherment] }, key: rsa)
    XCTAssertEqual(CertificateChecker.check(chain: [rsaEncipherment], key: nil, domains: [], now: now), [])
    let rsaSignature = try leaf({ $0.keyUsage = [.digitalSignature] }, key: rsa)
    XCTAssertEqual(CertificateChecker.check(chain: [rsaSignature], key: nil, domains: [], now: now), [])
    let rsaNeither = try leaf({ $0.keyUsage = [.dataEncipherment] }, key: rsa)
    XCTAssertEqual(
      codes(CertificateChecker.check(chain: [rsaNeither], key: nil, domains: [], now: now)), [.notServerAuth])
  }

  func testCAAsLeafAndNoSAN() throws {
    let ca = try CertificateFactory.issue(
      Fixtures.caRequest("Some CA"), subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: nil)
    let findings = CertificateChecker.check(chain: [ca], key: nil, domains: [], now: now)
    XCTAssertEqual(Set(codes(findings)), [.caAsLeaf, .noSubjectAltName])
    XCTAssertTrue(findings.allSatisfy { $0.blocksDeployment && $0.severity == .critical })

    let ipOnly = try leaf {
      $0.dnsNames = []
      $0.ipAddresses = ["192.0.2.1"]
    }
    XCTAssertEqual(CertificateChecker.check(chain: [ipOnly], key: nil, domains: ["192.0.2.1"], now: now), [])
    let emailOnly = try leaf {
      $0.dnsNames = []
      $0.emailAddresses = ["a@example.com"]
    }
    XCTAssertEqual(
      codes(CertificateChecker.check(chain: [emailOnly], key: nil, domains: [], now: now)), [.noSubjectAltName])
  }

  func testWeakKeysWarnButDoNotBlock() throws {
    let weakRSA = try PrivateKey.generate(.rsa(bits: 1024))
    let certificate = try leaf({ _ in }, key: weakRSA)
    let findings = CertificateChecker.check(chain: [certificate], key: weakRSA, domains: [], now: now)
    XCTAssertEqual(codes(findings), [.weakKey])
    XCTAssertEqual(findings[0].severity, .warning)
    XCTAssertFalse(findings[0].blocksDeployment)
    XCTAssertTrue(CertificateChecker.isDeployable(findings))
    XCTAssertTrue(findings[0].message.contains("RSA 1024"), findings[0].message)
    for key in [try Fixtures.key(Fixtures.rsaKey), try Fixtures.key(Fixtures.ecKey), try Fixtures.key(Fixtures.edKey)] {
      let strong = try leaf({ _ in }, key: key)
      XCTAssertEqual(CertificateChecker.check(chain: [strong], key: key, domains: [], now: now), [])
    }
  }

  func testKeyMismatch() throws {
    let certificate = try leaf { _ in }
    let findings = CertificateChecker.check(
      chain: [certificate], key: try Fixtures.key(Fixtures.otherECKey), domains: [], now: now)
    XCTAssertEqual(codes(findings), [.keyMismatch])
    XCTAssertTrue(findings[0].blocksDeployment)
    XCTAssertFalse(findings[0].message.contains("BEGIN"))
    XCTAssertEqual(
      CertificateChecker.check(chain: [certificate], key: try Fixtures.key(Fixtures.ecKey), domains: [], now: now), [])
  }

  func testDomainsNotCovered() throws {
    let certificate = try leaf {
      $0.dnsNames = ["example.com", "*.example.com"]
      $0.ipAddresses = ["2001:db8::1"]
    }
    let covered = ["example.com", "WWW.Example.com.", "api.example.com", "2001:db8:0::1", "*.example.com"]
    XCTAssertEqual(CertificateChecker.check(chain: [certificate], key: nil, domains: covered, now: now), [])
    let findings = CertificateChecker.check(
      chain: [certificate], key: nil, domains: ["a.b.example.com", "example.org", "192.0.2.1", "*.other.example.com"],
      now: now)
    XCTAssertEqual(codes(findings), Array(repeating: .domainNotCovered, count: 4))
    XCTAssertTrue(findings[0].message.contains("a.b.example.com"))
    XCTAssertTrue(findings[0].message.contains("*.example.com"))
  }

  func testChainOutOfOrderAndBroken() throws {
    let chain = try Fixtures.chain()
    var findings = CertificateChecker.check(
      chain: [chain.leaf, chain.root, chain.intermediate], key: nil, domains: [], now: now)
    XCTAssertEqual(codes(findings), [.chainOutOfOrder])
    XCTAssertEqual(findings[0].certificateIndex, 0)
    XCTAssertTrue(findings[0].blocksDeployment)

    let other = try Fixtures.chain()
    findings = CertificateChecker.check(chain: [chain.leaf, other.intermediate], key: nil, domains: [], now: now)
    XCTAssertEqual(codes(findings), [.chainBroken])

    findings = CertificateChecker.check(
      chain: [chain.leaf, chain.intermediate, other.root], key: nil, domains: [], now: now)
    XCTAssertEqual(codes(findings), [.chainBroken])
    XCTAssertEqual(findings[0].certificateIndex, 1)
  }

  func testSameNameDifferentKeyIsBrokenBySignature() throws {
    let chain = try Fixtures.chain()
    // Same subject name as the real intermediate, different key: names match, signature does not.
    let impostorKey = try PrivateKey.generate(.ecP256)
    let impostor = try CertificateFactory.issue(
      Fixtures.caRequest("Test Intermediate", pathLength: 0), subjectKey: impostorKey, issuer: nil)
    XCTAssertEqual(impostor.subject, chain.intermediate.subject)
    let findings = CertificateChecker.check(chain: [chain.leaf, impostor], key: nil, domains: [], now: now)
    XCTAssertEqual(codes(findings), [.chainBroken])
  }

  func testFindingsForChainCertificatesCarryTheirIndex() throws {
    let rootKey = try PrivateKey.generate(.ecP256)
    var caRequest = Fixtures.caRequest("Old Root")
    caRequest.notAfter = now - day
    let root = try CertificateFactory.issue(caRequest, subjectKey: rootKey, issuer: nil)
    let leafCertificate = try CertificateFactory.issue(
      Fixtures.leafRequest(), subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: (root, rootKey))
    let findings = CertificateChecker.check(chain: [leafCertificate, root], key: nil, domains: [], now: now)
    XCTAssertEqual(codes(findings), [.expired])
    XCTAssertEqual(findings[0].certificateIndex, 1)
    XCTAssertTrue(findings[0].message.contains("certificate #2"))
  }

  func testBlocksDeploymentTableAndCodable() throws {
    // Issue 10 part 5 added the name findings; of them only malformedExtension blocks.
    let nonBlocking: Set<FindingCode> = [
      .expiresSoon, .expiresVerySoon, .weakKey, .invalidDNSName, .underscoreInDNSName, .wildcardOnPublicSuffix,
      .publicSuffixListUnavailable,
    ]
    for code in FindingCode.allCases {
      XCTAssertEqual(code.blocksDeployment, !nonBlocking.contains(code), "\(code)")
    }
    let finding = Finding(code: .expired, severity: .critical, message: "m", certificateIndex: 0)
    let data = try JSONEncoder().encode(finding)
    XCTAssertEqual(try JSONDecoder().decode(Finding.self, from: data), finding)
    XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"blocksDeployment\":true"))
    XCTAssertTrue(Severity.info < .warning && Severity.warning < .critical)
    XCTAssertEqual(CertificateChecker.check(chain: [], key: nil, domains: ["x"], now: now), [])
  }
}
