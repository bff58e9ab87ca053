import CertHookCore
import Foundation
import XCTest

final class ConfigurationTests: XCTestCase {
  func testMinimalFileFromTheIssueDecodesAsWritten() throws {
    let yaml = """
      version: 1
      region: cn-hangzhou
      deployments:
        - name: example
          domains: [example.test, www.example.test]
          targets:
            - listener: lsr-h1-https
            - loadBalancer: alb-h2
      """
    let (config, warnings) = try CertHookConfiguration.decode(yaml: yaml, source: "config.yaml")
    XCTAssertEqual(warnings, [])
    XCTAssertEqual(config.version, 1)
    XCTAssertEqual(config.region, "cn-hangzhou")
    XCTAssertEqual(config.statePath, CertHookConfiguration.defaultStatePath)
    XCTAssertEqual(config.rateLimits.concurrency, 32)
    XCTAssertEqual(config.timeouts.hook, 110)
    XCTAssertEqual(config.deployments.count, 1)
    let d = config.deployments[0]
    XCTAssertEqual(d.name, "example")
    XCTAssertNil(d.source)
    XCTAssertEqual(d.domains, ["example.test", "www.example.test"])
    XCTAssertEqual(d.targets, [.listener("lsr-h1-https"), .loadBalancer("alb-h2", protocols: nil, ports: nil)])
    XCTAssertEqual(d.mode, .additional)
    XCTAssertEqual(d.replace, .covered)
  }

  func testFullFile() throws {
    let yaml = """
      version: 1
      region: cn-zhangjiakou
      credentials: {profile: prod}
      endpoints: {alb: "http://127.0.0.1:8080", cas: "http://127.0.0.1:8080"}
      rateLimits: {concurrency: 8, writesPerSecond: 20}
      timeouts: {job: 2m, hook: 100s, request: 30}
      statePath: /tmp/state.json
      quotas: {alb-1: 10}
      deployments:
        - name: certbot
          source: {certbotLineage: /etc/letsencrypt/live/example.test}
          domains: [example.test]
          targets: [{loadBalancer: alb-1, protocols: [https], ports: [443, 8443]}]
          mode: default
          replace: none
        - name: acme
          source: {acmeShDomain: shop.test, home: /root/.acme.sh}
          domains: [shop.test]
          targets: [{listener: lsr-2}]
        - name: files
          source: {cert: /c.pem, key: /k.pem, chain: /ch.pem}
          domains: [files.test]
          targets: [lsr-3]
      """
    let (config, warnings) = try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml")
    XCTAssertEqual(warnings, [])
    XCTAssertEqual(config.credentials.profile, "prod")
    XCTAssertEqual(config.endpoints.alb, "http://127.0.0.1:8080")
    XCTAssertEqual(config.rateLimits, RateLimitSettings(concurrency: 8, writesPerSecond: 20))
    XCTAssertEqual(config.timeouts, TimeoutSettings(job: 120, hook: 100, request: 30))
    XCTAssertEqual(config.quotas, ["alb-1": 10])
    XCTAssertEqual(config.deployments[0].source, .certbotLineage("/etc/letsencrypt/live/example.test"))
    XCTAssertEqual(config.deployments[0].targets, [.loadBalancer("alb-1", protocols: ["HTTPS"], ports: [443, 8443])])
    XCTAssertEqual(config.deployments[0].mode, .default)
    XCTAssertEqual(config.deployments[0].replace, ReplacePolicy.none)
    XCTAssertEqual(config.deployments[1].source, .acmeShDomain("shop.test", home: "/root/.acme.sh"))
    XCTAssertEqual(config.deployments[2].source, .files(certificate: "/c.pem", key: "/k.pem", chain: "/ch.pem"))
    XCTAssertEqual(config.deployments[2].targets, [.listener("lsr-3")])
    XCTAssertNil(config.permissionWarning(path: "c.yaml", mode: 0o644))
  }

  func testErrorsNameTheKeyPath() {
    let cases: [(String, String)] = [
      (
        "version: 1\ndeployments:\n  - name: a\n    domains: [a.test]\n    targets: [{listener: lsr-1}]\n  - name: b\n    domains: [b.test]\n    targets:\n      - listener: [x]\n",
        "deployments[1].targets[0].listener"
      ),
      (
        "version: 1\ndeployments:\n  - name: a\n    domains: [a.test]\n    targets: [{listener: lsr-1}]\n    mode: sideways\n",
        "deployments[0].mode"
      ),
      ("version: 2\ndeployments: []\n", "version"),
      ("version: 1\nregion: x\n", "deployments"),
      ("version: 1\ndeployments:\n  - domains: [a.test]\n    targets: [{listener: lsr-1}]\n", "deployments[0].name"),
      ("version: 1\ndeployments:\n  - name: a\n    targets: [{listener: lsr-1}]\n", "deployments[0].domains"),
      ("version: 1\ndeployments:\n  - name: a\n    domains: [a.test]\n", "deployments[0].targets"),
      (
        "version: 1\ndeployments:\n  - name: a\n    domains: [a.test]\n    targets: [{loadBalancer: alb-1, protocols: [HTTP]}]\n",
        "deployments[0].targets[0].protocols[0]"
      ),
      ("version: 1\nrateLimits: {concurrency: zero}\ndeployments: []\n", "rateLimits.concurrency"),
      (
        "version: 1\ndeployments:\n  - name: a\n    domains: [a.test]\n    targets: [{listener: lsr-1}]\n  - name: a\n    domains: [a.test]\n    targets: [{listener: lsr-1}]\n",
        "deployments[1].name"
      ),
    ]
    for (yaml, path) in cases {
      XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml"), path) { error in
        guard case .configuration(let p, let message)? = error as? CertHookError else {
          return XCTFail("\(path): \(error)")
        }
        XCTAssertEqual(p, path, message)
        XCTAssertTrue("\(error)".contains(path))
      }
    }
  }

  /// Keys written on one line without blanks after the colons are one YAML string: not taken for a profile name
  /// (which later messages would quote), refused without showing it (the fuzzer's crash-1c01eb60).
  func testKeysOnOneLineAreNotAProfileNameAndAreNotShown() {
    let secret = "qSECRETplain52e0aa3fDONOTLEAK"
    for (yaml, path) in [
      ("version: 1\ncredentials:\n  accessKeyId:AK, accessKeySecret:\(secret)\ndeployments: []\n", "credentials"),
      ("version: 1\ncredentials: {profile: 'a accessKeySecret:\(secret)'}\ndeployments: []\n", "credentials.profile"),
    ] {
      XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml"), path) { error in
        guard case .configuration(let p, let message)? = error as? CertHookError else { return XCTFail("\(error)") }
        XCTAssertEqual(p, path, message)
        XCTAssertTrue(message.contains("not a profile name"), message)
        XCTAssertFalse("\(error)".contains(secret), "\(error)")
      }
    }
    XCTAssertEqual(
      try CertHookConfiguration.decode(yaml: "version: 1\ncredentials: prod-2.eu_west\ndeployments: []\n", source: "c")
        .0.credentials.profile, "prod-2.eu_west")
  }

  func testUnknownKeysWarnAndSecretsInReadableFilesWarn() throws {
    let yaml = """
      version: 1
      colour: blue
      credentials: {accessKeyId: testid, accessKeySecret: testsecret}
      deployments:
        - name: a
          domains: [a.test]
          targets: [{listener: lsr-1, weight: 3}]
          extra: true
      """
    let (config, warnings) = try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml")
    XCTAssertEqual(warnings.count, 3, "\(warnings)")
    XCTAssertTrue(warnings.contains { $0.contains("unknown key colour") })
    XCTAssertTrue(warnings.contains { $0.contains("deployments[0].targets[0].weight") })
    XCTAssertTrue(warnings.contains { $0.contains("deployments[0].extra") })
    let warning = try XCTUnwrap(config.permissionWarning(path: "c.yaml", mode: 0o644))
    XCTAssertTrue(warning.contains("chmod 600"))
    XCTAssertFalse(warning.contains("testsecret"))
    XCTAssertNil(config.permissionWarning(path: "c.yaml", mode: 0o600))
    XCTAssertFalse("\(config)".contains("testsecret"))
    XCTAssertFalse(String(reflecting: config).contains("testsecret"))
    let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
    XCTAssertFalse(json.contains("testsecret"))
  }

  func testInvalidYAMLIsAnError() {
    XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: "version: [1\n", source: "bad.yaml")) { error in
      XCTAssertTrue("\(error)".contains("bad.yaml"), "\(error)")
    }
  }
}

final class ConfigurationMergeKeyTests: XCTestCase {
  func testAnchorsAndMergeKeys() throws {
    let yaml = """
      version: 1
      deployments:
        - &base
          name: a
          domains: [a.test]
          targets: [{listener: lsr-1}]
          mode: default
        - <<: *base
          name: b
      """
    let (config, warnings) = try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml")
    XCTAssertEqual(warnings, [])
    XCTAssertEqual(config.deployments.map(\.name), ["a", "b"])
    XCTAssertEqual(config.deployments[1].targets, [.listener("lsr-1")])
    XCTAssertEqual(config.deployments[1].mode, .default)
  }
}
