import CertificateKit
import Foundation
import XCTest
import CertHookTestSupport

/// Coverage beyond RFC 6125's syntax: the Public Suffix List, Unicode domains, underscores as OpenSSL sees them.
final class HostnameCoverageTests: XCTestCase {
  /// A small list in the `.dat` format (tests never depend on the system file).
  static let testList = """
    // ===BEGIN ICANN DOMAINS===
    uk
    co.uk
    // ck : wildcard with an exception
    *.ck
    !www.ck
    公司.cn
    // ===BEGIN PRIVATE DOMAINS===
    s3.amazonaws.com
    """

  private let list = PublicSuffixList(rules: testList, source: "test list")

  func testPublicSuffixRules() {
    XCTAssertNil(list.unavailableReason)
    XCTAssertEqual(list.ruleCount, 6)
    for suffix in ["co.uk", "CO.UK.", "uk", "com", "s3.amazonaws.com", "anything.ck", "xn--55qx5d.cn"] {
      XCTAssertTrue(list.isPublicSuffix(suffix), suffix)
    }
    for name in ["example.co.uk", "amazonaws.com", "bucket.s3.amazonaws.com", "www.ck", "a.b.ck", "example.com"] {
      XCTAssertFalse(list.isPublicSuffix(name), name)
    }
  }

  /// The `.dat` format reads each line up to its first space or tab; CRLF lines, indentation and upper case too.
  func testEachLineIsReadUpToItsFirstSpace() {
    let list = PublicSuffixList(
      rules: "  Foo.Example trailing words\r\n\t!WWW.Bar.Example\r\n*.Bar.Example\n// x.example\n \n\u{5B98}\u{65B9}.Example",
      source: "odd list")
    XCTAssertEqual(list.ruleCount, 4)
    XCTAssertTrue(list.isPublicSuffix("foo.example"))
    XCTAssertTrue(list.isPublicSuffix("x.bar.example"))
    XCTAssertFalse(list.isPublicSuffix("www.bar.example"))
    XCTAssertFalse(list.isPublicSuffix("x.example"))
    XCTAssertTrue(list.isPublicSuffix("xn--kbtq9u.example"))
  }

  func testWildcardNeverCoversAPublicSuffixPlusOneLabel() {
    let no: [(String, String)] = [
      ("*.co.uk", "example.co.uk"), ("*.s3.amazonaws.com", "bucket.s3.amazonaws.com"), ("*.foo.ck", "a.foo.ck"),
      ("*.CO.UK.", "shop.co.uk"),
    ]
    let yes: [(String, String)] = [
      ("*.example.co.uk", "www.example.co.uk"), ("*.www.ck", "a.www.ck"), ("*.example.com", "a.example.com"),
      ("*.bucket.s3.amazonaws.com", "x.bucket.s3.amazonaws.com"),
    ]
    for (pattern, host) in no {
      XCTAssertFalse(HostnameMatcher.matches(pattern: pattern, hostname: host, publicSuffixes: list), pattern)
    }
    for (pattern, host) in yes {
      XCTAssertTrue(HostnameMatcher.matches(pattern: pattern, hostname: host, publicSuffixes: list), pattern)
    }
    XCTAssertFalse(HostnameMatcher.isCovered("*.co.uk", by: ["*.co.uk"], publicSuffixes: list))
    XCTAssertTrue(HostnameMatcher.isCovered("*.example.co.uk", by: ["*.example.co.uk"], publicSuffixes: list))
  }

  func testCheckerReportsTheWildcardOnAPublicSuffix() throws {
    let leaf = try CertificateFactory.issue(
      Fixtures.leafRequest("co.uk wildcard", dnsNames: ["*.co.uk"]), subjectKey: try Fixtures.key(Fixtures.ecKey),
      issuer: nil)
    let findings = CertificateChecker.check(
      chain: [leaf], key: nil, domains: ["shop.co.uk"], now: Fixtures.now, publicSuffixes: list)
    XCTAssertEqual(findings.map(\.code), [.wildcardOnPublicSuffix, .domainNotCovered])
    XCTAssertFalse(CertificateChecker.isDeployable(findings))
  }

  func testMissingListSaysSoAndKeepsTheSingleLabelRule() throws {
    let directory = try TemporaryDirectory()
    let missing = PublicSuffixList(path: directory.path("absent.dat"))
    let reason = try XCTUnwrap(missing.unavailableReason)
    XCTAssertTrue(reason.contains("absent.dat is missing"), reason)
    XCTAssertTrue(reason.contains("publicsuffix package"), reason)
    XCTAssertTrue(missing.isPublicSuffix("com"))
    XCTAssertFalse(missing.isPublicSuffix("co.uk"))
    let fromFile = PublicSuffixList(path: try directory.write("list.dat", Self.testList))
    XCTAssertNil(fromFile.unavailableReason)
    XCTAssertTrue(fromFile.isPublicSuffix("co.uk"))
    let leaf = try CertificateFactory.issue(
      Fixtures.leafRequest("wild.example", dnsNames: ["*.wild.example"]), subjectKey: try Fixtures.key(Fixtures.ecKey),
      issuer: nil)
    let findings = CertificateChecker.check(
      chain: [leaf], key: nil, domains: ["a.wild.example"], now: Fixtures.now, publicSuffixes: missing)
    XCTAssertEqual(findings.map(\.code), [.publicSuffixListUnavailable])
    XCTAssertEqual(findings.first?.severity, .info)
    XCTAssertTrue(CertificateChecker.isDeployable(findings))
  }

  /// Debian's `publicsuffix` package, when installed: the real list is read and judges the issue's examples.
  func testInstalledDebianListWhenPresent() throws {
    guard FileManager.default.fileExists(atPath: PublicSuffixList.installedPath) else {
      throw XCTSkip("publicsuffix is not installed at \(PublicSuffixList.installedPath)")
    }
    let system = PublicSuffixList.system
    XCTAssertNil(system.unavailableReason)
    print("installed public suffix list: \(system.ruleCount) rules")
    XCTAssertGreaterThan(system.ruleCount, 5_000)
    XCTAssertTrue(system.isPublicSuffix("co.uk"))
    XCTAssertTrue(system.isPublicSuffix("s3.amazonaws.com"))
    XCTAssertFalse(system.isPublicSuffix("example.co.uk"))
    XCTAssertFalse(HostnameMatcher.matches(pattern: "*.co.uk", hostname: "example.co.uk"))
    XCTAssertFalse(HostnameMatcher.matches(pattern: "*.s3.amazonaws.com", hostname: "bucket.s3.amazonaws.com"))
    XCTAssertTrue(HostnameMatcher.matches(pattern: "*.example.co.uk", hostname: "www.example.co.uk"))
  }

  func testUnicodeDomainsBecomeALabels() throws {
    let vectors: [(String, String)] = [
      ("bücher.example", "xn--bcher-kva.example"), ("München.DE", "xn--mnchen-3ya.de"),
      ("他们为什么不说中文", "xn--ihqwcrb4cv8a8dqg056pqjye"),  // RFC 3492 7.1 (B)
      ("ليهمابتكلموشعربي؟", "xn--egbpdaj6bu4bxfgehfvwxn"),  // RFC 3492 7.1 (A)
      ("shop。例え.jp", "shop.xn--r8jz45g.jp"), ("plain.example", "plain.example"),
    ]
    for (unicode, ascii) in vectors {
      XCTAssertEqual(try IDNA.toASCII(unicode), ascii, unicode)
    }
    XCTAssertThrowsError(try IDNA.toASCII(String(repeating: "ü", count: 70) + ".example")) {
      XCTAssertTrue(String(describing: $0).contains("limit 63"), "\($0)")
    }
    let leaf = try CertificateFactory.issue(
      Fixtures.leafRequest("xn--bcher-kva.example", dnsNames: ["xn--bcher-kva.example", "*.xn--bcher-kva.example"]),
      subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: nil)
    XCTAssertTrue(leaf.covers(hostname: "bücher.example"))
    XCTAssertTrue(leaf.covers(hostname: "www.BÜCHER.example"))
    XCTAssertFalse(leaf.covers(hostname: "bucher.example"))
    let findings = CertificateChecker.check(
      chain: [leaf], key: nil, domains: ["bücher.example", "büch.example"], now: Fixtures.now, publicSuffixes: list)
    XCTAssertEqual(findings.map(\.code), [.domainNotCovered])
    XCTAssertTrue(
      findings[0].message.hasPrefix("büch.example (xn--bch-hoa.example) is not covered"), findings[0].message)
  }

  /// An underscore in a DNS SAN is a finding (RFC 5280 host names have none), and coverage stays OpenSSL's:
  /// compared with `openssl x509 -checkhost` for each host.
  func testUnderscoreIsAFindingAndMatchesAsOpenSSLDoes() throws {
    let sans = ["my_host.example.com", "*.example.com", "*.under_score.example.net"]
    let leaf = try CertificateFactory.issue(
      Fixtures.leafRequest("my_host.example.com", dnsNames: sans), subjectKey: try Fixtures.key(Fixtures.ecKey),
      issuer: nil)
    let findings = CertificateChecker.check(chain: [leaf], key: nil, domains: [], now: Fixtures.now)
    XCTAssertEqual(findings.map(\.code), [.underscoreInDNSName, .underscoreInDNSName])
    XCTAssertEqual(Set(findings.map(\.severity)), [.info])
    XCTAssertTrue(CertificateChecker.isDeployable(findings))
    let directory = try TemporaryDirectory()
    let path = try directory.write("underscore.pem", leaf.pem)
    let hosts = [
      "my_host.example.com", "MY_HOST.example.com", "a_b.example.com", "ab.example.com", "_dmarc.example.com",
      "a.under_score.example.net", "*.under_score.example.net", "x.my_host.example.com",
    ]
    var agreed = 0
    for host in hosts {
      let verdict = try OpenSSLTool.run(["x509", "-in", path, "-noout", "-checkhost", host])
      let openSSLMatches = verdict.contains("does match")
      XCTAssertEqual(leaf.covers(hostname: host), openSSLMatches, "\(host): openssl says \(verdict)")
      if leaf.covers(hostname: host) == openSSLMatches { agreed += 1 }
    }
    print("underscore coverage: \(agreed)/\(hosts.count) hosts agree with openssl -checkhost")
  }

  func testInvalidDNSNameIsAWarning() throws {
    let leaf = try CertificateFactory.issue(
      Fixtures.leafRequest("bad.example", dnsNames: ["bad.example", "bad!name.example", "-dash.example"]),
      subjectKey: try Fixtures.key(Fixtures.ecKey), issuer: nil)
    let findings = NameChecks.findings(leaf, index: 0)
    XCTAssertEqual(findings.map(\.code), [.invalidDNSName, .invalidDNSName])
    XCTAssertTrue(findings[0].message.contains("'bad!name.example'"), findings[0].message)
  }
}
