import AlibabaCloud
import CertHookCore
import XCTest

/// Issue 11 items 7 and 9: every numeric input has a documented range and out of range is a configuration error
/// naming the key (never a trap); a secret used as a duplicated YAML key is never quoted back.
final class ConfigurationRangeTests: XCTestCase {
  private let tail = "deployments:\n  - name: a\n    domains: [a.test]\n    targets: [{listener: lsr-1}]\n"

  /// The configuration accepts exactly what the session can use (one range, written in two modules).
  func testTheConfigurationRangesAreTheSessionsRanges() {
    XCTAssertEqual(RateLimitSettings.writesPerSecondRange, SessionTuning.writesPerSecondRange)
    XCTAssertEqual(TimeoutSettings.requestRange, SessionTuning.requestTimeoutRange)
  }

  /// `rateLimits.actions` names only actions the client has, and every write can be given its real limit.
  func testPerActionLimitsNameTheClientsActions() {
    let table = Set(ApiAction.all.map(\.name))
    XCTAssertTrue(RateLimitSettings.knownActions.isSubset(of: table), "\(RateLimitSettings.knownActions.subtracting(table))")
    XCTAssertTrue(Set(ApiAction.writeActionNames).isSubset(of: RateLimitSettings.knownActions))
  }

  func testPerActionLimitsDecodeAndBadOnesNameTheirKey() throws {
    let yaml = "version: 1\nrateLimits:\n  actions:\n    AssociateAdditionalCertificatesWithListener: 1000/1s\n"
      + "    ListListenerCertificates: '200/2'\n    UploadUserCertificate: 5/\n" + tail
    let (config, _) = try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml")
    XCTAssertEqual(
      config.rateLimits.actions,
      [
        "AssociateAdditionalCertificatesWithListener": .init(requests: 1000, seconds: 1),
        "ListListenerCertificates": .init(requests: 200, seconds: 2), "UploadUserCertificate": .init(requests: 5, seconds: 1),
      ])
    let bad: [(String, String)] = [
      ("fast", "rateLimits.actions.ListListeners"), ("0/1s", "rateLimits.actions.ListListeners"),
      ("10/0s", "rateLimits.actions.ListListeners"), ("10/1e300s", "rateLimits.actions.ListListeners"),
      ("99999999999999999999/1s", "rateLimits.actions.ListListeners"), ("1/2/3", "rateLimits.actions.ListListeners"),
    ]
    for (value, path) in bad {
      let text = "version: 1\nrateLimits: {actions: {ListListeners: '\(value)'}}\n" + tail
      XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: text, source: "c.yaml"), value) {
        guard case .configuration(let p, _)? = $0 as? CertHookError else { return XCTFail("\(value): \($0)") }
        XCTAssertEqual(p, path, value)
      }
    }
  }

  func testOutOfRangeNumbersNameTheirKey() {
    let cases: [(String, String)] = [
      ("rateLimits: {writesPerSecond: 1e300}\n", "rateLimits.writesPerSecond"),
      ("rateLimits: {writesPerSecond: 1e-300}\n", "rateLimits.writesPerSecond"),
      ("rateLimits: {writesPerSecond: inf}\n", "rateLimits.writesPerSecond"),
      ("rateLimits: {writesPerSecond: .nan}\n", "rateLimits.writesPerSecond"),
      ("rateLimits: {concurrency: 9223372036854775807}\n", "rateLimits.concurrency"),
      ("timeouts: {request: 1e12}\n", "timeouts.request"),
      ("timeouts: {request: inf}\n", "timeouts.request"),
      ("timeouts: {hook: 1e300}\n", "timeouts.hook"),
      ("timeouts: {job: 1e300m}\n", "timeouts.job"),
      ("quotas: {alb-1: 99999999}\n", "quotas.alb-1"),
      ("endpoints: {alb: 'http://127.0.0.1:65536'}\n", "endpoints.alb"),
    ]
    for (fragment, path) in cases {
      XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: "version: 1\n" + fragment + tail, source: "c.yaml"), path) {
        guard case .configuration(let p, let message)? = $0 as? CertHookError else { return XCTFail("\(path): \($0)") }
        XCTAssertEqual(p, path, message)
      }
    }
    let ports = "version: 1\ndeployments:\n  - name: a\n    domains: [a.test]\n    targets: [{loadBalancer: alb-1, ports: [443, 70000]}]\n"
    XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: ports, source: "c.yaml")) {
      XCTAssertTrue("\($0)".contains("deployments[0].targets[0].ports[1]"), "\($0)")
    }
  }

  func testValuesInsideTheRangesStillDecode() throws {
    let yaml = "version: 1\nrateLimits: {writesPerSecond: 0.5, concurrency: 64}\ntimeouts: {request: 0.5, hook: 300, job: 2m}\n" + tail
    let (config, _) = try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml")
    XCTAssertEqual(config.rateLimits.writesPerSecond, 0.5)
    XCTAssertEqual(config.timeouts.job, 120)
  }

  func testASecretUsedAsADuplicatedKeyIsNeverPrinted() {
    let secret = "Sup3rSecretValueXYZ"
    let yaml = "version: 1\ncredentials:\n  \(secret): 1\n  \(secret): 2\n  profile: a\n  profile: b\n" + tail
    XCTAssertThrowsError(try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml")) { error in
      let text = "\(error)"
      XCTAssertFalse(text.contains(secret), text)
      XCTAssertTrue(text.contains("duplicate key(s) profile, 1 other key (not shown)"), text)
    }
  }
}
