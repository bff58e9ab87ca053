import CertHookCore
import CertificateKit
import Foundation
import XCTest

/// `notify:` decoding (errors name the key path), secrets named never inlined, and the events a run produces.
final class NotifyConfigurationTests: XCTestCase {
  private func decode(_ notify: String) throws -> CertHookConfiguration {
    let yaml = """
      version: 1
      deployments:
        - name: www
          domains: [www.example.test]
          targets: [{listener: lsr-1}]
      \(notify)
      """
    return try CertHookConfiguration.decode(yaml: yaml, source: "c.yaml").0
  }

  private func expectError(_ notify: String, path: String, contains: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try decode(notify), file: file, line: line) { error in
      guard case CertHookError.configuration(let p, let message) = error else {
        return XCTFail("\(error)", file: file, line: line)
      }
      XCTAssertEqual(p, path, message, file: file, line: line)
      XCTAssertTrue(message.contains(contains), message, file: file, line: line)
    }
  }

  func testDecodesEveryKindWithEventsSecretsAndBounds() throws {
    let configuration = try decode(
      """
      notify:
        timeout: 5s
        retries: 1
        notifiers:
          - {name: ops, kind: webhook, url: "https://hooks.example.test/certhook", secretEnv: CERTHOOK_HOOK_SECRET, onSuccess: true}
          - {kind: slack, url: "https://hooks.slack.com/services/T/B/X"}
          - {kind: dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=t", secretFile: /etc/certhook/ding.secret, msgtype: text}
          - {kind: lark, url: "https://open.feishu.cn/open-apis/bot/v2/hook/x", events: [listenerFailed, success]}
          - {kind: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}
      """)
    let notify = configuration.notify
    XCTAssertEqual(notify.timeout, 5)
    XCTAssertEqual(notify.retries, 1)
    XCTAssertEqual(notify.notifiers.map(\.kind), [.webhook, .slack, .dingtalk, .feishu, .wecom])
    XCTAssertEqual(notify.notifiers.map(\.name), ["ops", "slack", "dingtalk", "feishu", "wecom"])
    XCTAssertEqual(notify.notifiers[0].events, NotificationEventKind.defaults.union([.success]))
    XCTAssertEqual(notify.notifiers[0].secretEnv, "CERTHOOK_HOOK_SECRET")
    XCTAssertEqual(notify.notifiers[1].events, NotificationEventKind.defaults)
    XCTAssertEqual(notify.notifiers[2].style, .text)
    XCTAssertEqual(notify.notifiers[2].secretFile, "/etc/certhook/ding.secret")
    XCTAssertEqual(notify.notifiers[3].events, [.listenerFailed, .success])
    // The short form: a list.
    let short = try decode("notify:\n  - {kind: slack, url: \"https://hooks.slack.com/services/a\"}")
    XCTAssertEqual(short.notify.notifiers.count, 1)
    XCTAssertEqual(short.notify.timeout, 10)
  }

  func testBadNotifiersNameTheField() {
    expectError("notify:\n  - {kind: teams, url: \"https://x.test/\"}", path: "notify[0].kind", contains: "not a notifier kind")
    expectError("notify:\n  - {url: \"https://x.test/\"}", path: "notify[0].kind", contains: "missing")
    expectError("notify:\n  - {kind: slack}", path: "notify[0].url", contains: "missing")
    expectError("notify:\n  - {kind: slack, url: \"hooks.slack.com/x\"}", path: "notify[0].url", contains: "not an http(s) URL")
    expectError("notify:\n  - {kind: slack, url: \"http://hooks.slack.com/x\"}", path: "notify[0].url", contains: "must use https")
    expectError(
      "notify:\n  notifiers:\n    - {kind: webhook, url: \"https://x.test/\", secret: inline-value}",
      path: "notify.notifiers[0].secret", contains: "secretEnv")
    expectError("notify:\n  - {kind: slack, url: \"https://x.test/\", secretEnv: S}", path: "notify[0].secretEnv", contains: "not signed")
    expectError("notify:\n  - {kind: webhook, url: \"https://x.test/\", events: [failed]}", path: "notify[0].events[0]", contains: "not an event")
    expectError("notify:\n  retries: 9", path: "notify.retries", contains: "between 0 and 5")
    expectError(
      "notify:\n  - {kind: slack, url: \"https://a.test/\"}\n  - {kind: slack, url: \"https://b.test/\"}",
      path: "notify[1].name", contains: "duplicate")
  }

  func testABadURLIsNeverQuoted() {
    XCTAssertThrowsError(try decode("notify:\n  - {kind: wecom, url: \"ftp://qyapi/send?key=SECRETKEY123\"}")) { error in
      XCTAssertFalse("\(error)".contains("SECRETKEY123"), "\(error)")
    }
  }

  func testConfigCheckReportsAMissingSecretNamingTheNotifierAndField() throws {
    let configuration = try decode(
      """
      notify:
        - {name: ops, kind: webhook, url: "https://x.test/", secretEnv: OPS_SECRET}
        - {name: ding, kind: dingtalk, url: "https://x.test/", secretFile: /nonexistent/ding}
      """)
    let problems = ConfigurationCheck.notifyProblems(configuration, environment: [:]) { _ in
      throw CocoaError(.fileNoSuchFile)
    }
    XCTAssertEqual(
      problems,
      [
        "notify notifier 1 (ops).secretEnv: environment variable OPS_SECRET is not set or empty",
        "notify notifier 2 (ding).secretFile: /nonexistent/ding cannot be read",
      ])
    let fine = ConfigurationCheck.notifyProblems(configuration, environment: ["OPS_SECRET": "s3cret-value"]) { _ in
      Data("ding-secret\n".utf8)
    }
    XCTAssertEqual(fine, [])
    let secrets = NotifierSecrets.resolve(configuration.notify, environment: ["OPS_SECRET": "s3cret-value"]) { _ in
      Data("ding-secret\n".utf8)
    }.secrets
    XCTAssertEqual(secrets, ["ops": "s3cret-value", "ding": "ding-secret"])
  }

  func testEventsOfARunNameDeploymentListenersCertificateCodeAndRequestId() {
    let certificate = MappedCertificate(
      identifier: "17-cn-hangzhou", certId: 17, name: "www-2026", sha256: nil, commonName: "www.example.test",
      dnsNames: ["www.example.test"], notBefore: nil, notAfter: Date(timeIntervalSince1970: 1_000 * 86_400),
      wasUploaded: false)
    let plan = DeploymentPlan(deployment: "www", certificate: certificate, mode: .additional, replace: .covered, listeners: [], loadBalancers: [])
    let report = DeploymentReport(
      dryRun: false, certificates: [certificate],
      listeners: [
        ListenerOutcome(
          listenerId: "lsr-1", loadBalancerId: "alb-1", deployment: "www", outcome: .failed,
          error: "AssociateAdditionalCertificatesWithListener: IncorrectStatus.Listener: busy (http 400, request id R1)"),
        ListenerOutcome(listenerId: "lsr-2", loadBalancerId: "alb-1", deployment: "api", outcome: .updated),
      ],
      errors: ["other: listener lsr-9 does not exist in this account and region (ResourceNotFound.Listener); nothing was changed"])
    let events = NotificationEvents.from(
      report: report, plans: [plan], deployments: ["www", "api", "other"],
      now: Date(timeIntervalSince1970: 990 * 86_400), policy: CheckPolicy(warningDays: 30, criticalDays: 7))
    XCTAssertEqual(events.map(\.kind), [.deploymentFailed, .listenerFailed, .expiryWarning, .success])
    XCTAssertEqual(events[0].deployment, "other")
    XCTAssertEqual(events[0].errorCode, "ResourceNotFound.Listener")
    XCTAssertNil(events[0].requestId)
    let failed = events[1]
    XCTAssertEqual(failed.deployment, "www")
    XCTAssertEqual(failed.listeners, ["lsr-1"])
    XCTAssertEqual(failed.certificate, "www-2026 (CAS 17)")
    XCTAssertEqual(failed.errorCode, "IncorrectStatus.Listener")
    XCTAssertEqual(failed.requestId, "R1")
    XCTAssertEqual(events[2].daysRemaining, 10)
    XCTAssertEqual(events[3].deployment, "api")
    XCTAssertEqual(events[3].listeners, ["lsr-2"])
    var dry = report
    dry.dryRun = true
    XCTAssertFalse(
      NotificationEvents.from(report: dry, plans: [], deployments: ["www"], now: Date(), policy: CheckPolicy(warningDays: 30, criticalDays: 7))
        .contains { $0.kind == .success }, "a dry run reports no success")
  }
}

/// A secret file that is a device or huge is refused by size, never read whole.
final class NotifierSecretFileTests: XCTestCase {
  func testADeviceOrHugeSecretFileIsAProblemNotAHang() throws {
    let settings = NotifySettings(notifiers: [NotifierSettings(name: "d", kind: .webhook, url: "https://x.test/", secretFile: "/dev/zero")])
    let resolved = NotifierSecrets.resolve(settings, environment: [:])
    XCTAssertEqual(resolved.secrets, [:])
    XCTAssertEqual(resolved.problems, ["notify notifier 1 (d).secretFile: /dev/zero is not a text file of at most 65536 bytes"])
  }
}
