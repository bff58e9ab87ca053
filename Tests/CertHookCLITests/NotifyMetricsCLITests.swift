import CertHookCore
import CertificateKit
import CloudEmulator
import Foundation
import XCTest

/// `notify:` and `--metrics-file` through the binary against the emulator and real loopback receivers: the
/// metrics match the emulator's request log, a failing notifier never changes the exit code, a refusal and an
/// audit warning are sent, and `config check` validates `notify:`.
final class NotifyMetricsCLITests: LifecycleWorldTestCase {
  private func config(
    _ w: LifecycleWorld, _ lineage: LifecycleWorld.Lineage, notify: String, extraTargets: String = "",
    name: String = "config.yaml"
  ) throws -> String {
    try w.config(
      """
      version: 1
      deployments:
        - name: web
          source: {certbotLineage: \(lineage.directory)}
          domains: [example.test, www.example.test]
          targets:
            - loadBalancer: alb-h1
              protocols: [HTTPS]
            - listener: lsr-h2-8443\(extraTargets)
      \(notify)
      """, name: name)
  }

  private func samples(_ path: String) throws -> ExpositionFormat.Document {
    try ExpositionFormat.parse(try String(contentsOfFile: path, encoding: .utf8))
  }

  private func value(_ doc: ExpositionFormat.Document, _ name: String, _ labels: [String: String]) -> Double? {
    doc.samples.first { s in s.name == name && labels.allSatisfy { s.label($0.key) == $0.value } }?.value
  }

  func testSyncMetricsMatchTheEmulatorAndSuccessIsSentWhenAsked() async throws {
    let w = try w()
    let receiver = try await WebhookReceiver.start()
    defer { receiver.stop() }
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    let config = try config(
      w, lineage,
      notify: """
        notify:
          - {name: hook, kind: webhook, url: "\(receiver.url.absoluteString)/certhook", onSuccess: true, secretEnv: HOOK_SECRET}
        """)
    let metrics = w.root + "/node-exporter/certhook-sync.prom"
    try FileManager.default.createDirectory(atPath: w.root + "/node-exporter", withIntermediateDirectories: true)
    let before = await w.requestCount()
    let result = try await w.run(
      ["sync", "--config", config, "--metrics-file", metrics], extra: ["HOOK_SECRET": "hook-secret-value"])
    XCTAssertEqual(result.status, 0, result.all)
    XCTAssertTrue(result.stdout.contains("notify hook (webhook, 127.0.0.1): delivered 1 event(s)"), result.all)

    let sent = await receiver.requests
    XCTAssertEqual(sent.count, 1)
    let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: try XCTUnwrap(sent.first).body) as? [String: Any])
    let events = try XCTUnwrap(document["events"] as? [[String: Any]])
    XCTAssertEqual(events.map { $0["kind"] as? String }, ["success"])
    XCTAssertEqual(events.first?["deployment"] as? String, "web")
    XCTAssertEqual(events.first?["listeners"] as? [String], ["lsr-h1-https", "lsr-h2-8443"])
    XCTAssertNotNil(sent.first?.headers["x-certhook-signature"])

    let doc = try samples(metrics)
    XCTAssertEqual(value(doc, "certhook_listeners", ["deployment": "web", "outcome": "updated"]), 2)
    XCTAssertEqual(value(doc, "certhook_listeners", ["deployment": "web", "outcome": "failed"]), 0)
    XCTAssertEqual(value(doc, "certhook_last_run_success", ["deployment": "web"]), 1)
    let success = try XCTUnwrap(value(doc, "certhook_last_success_timestamp_seconds", ["deployment": "web"]))
    XCTAssertEqual(success, value(doc, "certhook_last_run_timestamp_seconds", ["deployment": "web"]))
    // Every API request the emulator answered, by action and result code, is counted once.
    let log = await w.server.requestLog().dropFirst(before)
    var expected: [String: Double] = [:]
    for record in log { expected["\(record.action) \(record.code ?? "OK")", default: 0] += 1 }
    var counted: [String: Double] = [:]
    for sample in doc.samples where sample.name == "certhook_api_requests_total" {
      counted["\(sample.label("action") ?? "") \(sample.label("code") ?? "")"] = sample.value
    }
    XCTAssertEqual(counted, expected)
    XCTAssertGreaterThan(counted.count, 2)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: w.root + "/node-exporter"), ["certhook-sync.prom"])

    // A failing run of the same deployment keeps its last success; the counters keep counting.
    let failing = try self.config(
      w, lineage, notify: "", extraTargets: "\n      - listener: lsr-does-not-exist", name: "failing.yaml")
    let failed = try await w.run(["sync", "--config", failing, "--metrics-file", metrics])
    XCTAssertEqual(failed.status, 1, failed.all)
    let after = try samples(metrics)
    XCTAssertEqual(value(after, "certhook_last_success_timestamp_seconds", ["deployment": "web"]), success)
    XCTAssertEqual(value(after, "certhook_last_run_success", ["deployment": "web"]), 0)
    XCTAssertTrue(failed.stderr.contains("ResourceNotFound.Listener"), failed.all)
    XCTAssertEqual(value(after, "certhook_listeners", ["deployment": "web", "outcome": "updated"]), 0, "this run's counts")
    let listCalls = value(doc, "certhook_api_requests_total", ["action": "ListListeners", "code": "OK"]) ?? 0
    XCTAssertGreaterThan(value(after, "certhook_api_requests_total", ["action": "ListListeners", "code": "OK"]) ?? 0, listCalls)
  }

  func testAFailingNotifierNeverChangesTheExitCodeAndTheSummaryNamesIt() async throws {
    let w = try w()
    let broken = try await WebhookReceiver.start { _ in .init(status: 500, body: "down for maintenance") }
    defer { broken.stop() }
    let slow = try await WebhookReceiver.start { _ in .init(status: 200, body: "{}", delay: .seconds(10)) }
    defer { slow.stop() }
    let gone = try await WebhookReceiver.start()
    let goneURL = gone.url.absoluteString
    gone.stop()
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    let notify = """
      notify:
        timeout: 0.5
        retries: 1
        notifiers:
          - {name: broken, kind: slack, url: "\(broken.url.absoluteString)/services/T/B/X"}
          - {name: slow, kind: wecom, url: "\(slow.url.absoluteString)/send?key=k"}
          - {name: gone, kind: webhook, url: "\(goneURL)/x"}
      """
    // Failing listener: exit 1 with or without notifiers.
    let failing = try config(w, lineage, notify: notify, extraTargets: "\n      - listener: lsr-does-not-exist")
    let fine = try config(w, lineage, notify: notify, name: "fine.yaml")
    let metrics = w.root + "/m.prom"
    let failed = try await w.run(["sync", "--config", failing, "--metrics-file", metrics])
    XCTAssertEqual(failed.status, 1, failed.all)
    for name in ["broken (slack, 127.0.0.1)", "slow (wecom, 127.0.0.1)", "gone (webhook, 127.0.0.1)"] {
      XCTAssertTrue(failed.stdout.contains("notify \(name): NOT delivered after 2 attempt(s)"), "\(name):\n\(failed.all)")
      XCTAssertTrue(failed.stderr.contains("notify \(name): NOT delivered"), failed.all)
    }
    XCTAssertTrue(failed.stdout.contains("http 500: down for maintenance"), failed.all)
    XCTAssertFalse(failed.all.contains("/services/T/B/X"), "the webhook path (its token) is never shown")
    XCTAssertEqual(value(try samples(metrics), "certhook_notifications_failed", ["command": "sync"]), 3)
    let brokenCount = await broken.requests.count
    XCTAssertEqual(brokenCount, 2, "one retry")
    let slowRequests = await slow.requests
    let slowBody = try XCTUnwrap(slowRequests.first).body
    let wecom = try XCTUnwrap(try JSONSerialization.jsonObject(with: slowBody) as? [String: Any])
    let content = ((wecom["markdown"] as? [String: Any])?["content"] as? String) ?? ""
    XCTAssertTrue(content.contains("lsr-does-not-exist") && content.contains("deployment web"), content)

    // Converged run with a success nobody asked for: nothing is sent, exit 0. JSON lists no notifications.
    let before = await broken.requests.count
    let ok = try await w.run(["sync", "--config", fine, "--json"])
    XCTAssertEqual(ok.status, 0, ok.all)
    let after = await broken.requests.count
    XCTAssertEqual(after, before)
    XCTAssertNil(try LifecycleWorld.json(ok.stdout)["notifications"])
    // With failures again, the JSON document carries the deliveries and the exit code stays 1.
    let json = try await w.run(["sync", "--config", failing, "--json"])
    XCTAssertEqual(json.status, 1, json.all)
    let deliveries = try XCTUnwrap(try LifecycleWorld.json(json.stdout)["notifications"] as? [[String: Any]])
    XCTAssertEqual(deliveries.map { $0["name"] as? String }, ["broken", "slow", "gone"])
    XCTAssertEqual(deliveries.map { $0["delivered"] as? Bool }, [false, false, false])
  }

  func testARefusedCertificateIsSentAndRecorded() async throws {
    let w = try w()
    let receiver = try await WebhookReceiver.start()
    defer { receiver.stop() }
    let expired = try w.lineage("expired", ["example.test", "www.example.test"], days: -1, notBeforeDays: -90)
    let config = try config(
      w, expired, notify: "notify:\n  - {name: lark, kind: feishu, url: \"\(receiver.url.absoluteString)/open-apis/bot/v2/hook/x\"}")
    let metrics = w.root + "/hook.prom"
    let result = try await w.run(
      ["deploy-hook", "--config", config, "--metrics-file", metrics],
      extra: ["RENEWED_LINEAGE": expired.directory, "RENEWED_DOMAINS": "example.test www.example.test"])
    XCTAssertEqual(result.status, 2, result.all)
    let received = await receiver.requests
    let sent = try XCTUnwrap(received.first)
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: sent.body) as? [String: Any])
    XCTAssertEqual(json["msg_type"] as? String, "text")
    let text = ((json["content"] as? [String: Any])?["text"] as? String) ?? ""
    XCTAssertTrue(text.contains("certificate refused"), text)
    XCTAssertTrue(text.contains(expired.directory), "names the certificate: \(text)")
    XCTAssertTrue(text.lowercased().contains("expired"), text)
    let doc = try samples(metrics)
    XCTAssertEqual(value(doc, "certhook_last_run_success", ["command": "deploy-hook", "deployment": ""]), 0)
  }

  func testAuditWritesExpiryPerListenerAndDomainAndSendsWarnings() async throws {
    let w = try w()
    let receiver = try await WebhookReceiver.start()
    defer { receiver.stop() }
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 20)
    let config = try config(
      w, lineage, notify: "notify:\n  - {kind: dingtalk, url: \"\(receiver.url.absoluteString)/robot/send?access_token=t\"}")
    let synced = try await w.run(["sync", "--config", config])
    XCTAssertEqual(synced.status, 0, synced.all)
    let syncWarnings = await receiver.requests.count
    XCTAssertEqual(syncWarnings, 1, "sync warns: the deployed certificate is inside the warning window")
    let metrics = w.root + "/audit.prom"
    let audit = try await w.run(["audit", "--config", config, "--metrics-file", metrics])
    XCTAssertEqual(audit.status, 1, "warning window: \(audit.all)")
    let doc = try samples(metrics)
    let notAfter = try XCTUnwrap(lineage.certificate.notAfter).timeIntervalSince1970.rounded(.down)
    let expiry = doc.samples.filter {
      $0.name == "certhook_certificate_expiry_timestamp_seconds" && $0.label("listener") == "lsr-h1-https" && $0.value == notAfter
    }
    XCTAssertEqual(expiry.compactMap { $0.label("domain") }.sorted(), ["example.test", "www.example.test"], "\(doc.samples)")
    XCTAssertEqual(value(doc, "certhook_last_run_success", ["command": "audit"]), 1)
    let requests = await receiver.requests
    XCTAssertEqual(requests.count, 2)
    let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: try XCTUnwrap(requests.last).body) as? [String: Any])
    let text = ((body["markdown"] as? [String: Any])?["text"] as? String) ?? ""
    XCTAssertTrue(text.contains("certhook audit") && text.contains("expiry warning") && text.contains("lsr-h2-8443"), text)
  }

  func testConfigCheckValidatesNotify() async throws {
    let w = try w()
    let lineage = try w.lineage("example.test", ["example.test", "www.example.test"], days: 90)
    let unknown = try config(w, lineage, notify: "notify:\n  - {kind: teams, url: \"https://x.test/\"}")
    let r1 = try await w.run(["config", "check", "--config", unknown])
    XCTAssertEqual(r1.status, 64, r1.all)
    XCTAssertTrue(r1.stderr.contains("notify[0].kind"), r1.all)
    let badURL = try config(w, lineage, notify: "notify:\n  - {kind: slack, url: \"http://hooks.slack.com/services/x\"}")
    let r2 = try await w.run(["config", "check", "--config", badURL])
    XCTAssertEqual(r2.status, 64, r2.all)
    XCTAssertTrue(r2.stderr.contains("notify[0].url"), r2.all)
    let secret = try config(
      w, lineage, notify: "notify:\n  - {name: ops, kind: webhook, url: \"https://x.test/\", secretEnv: OPS_HOOK_SECRET}")
    let r3 = try await w.run(["config", "check", "--config", secret])
    XCTAssertEqual(r3.status, 64, r3.all)
    XCTAssertTrue(r3.stderr.contains("(ops).secretEnv: environment variable OPS_HOOK_SECRET is not set"), r3.all)
    let r4 = try await w.run(["config", "check", "--config", secret], extra: ["OPS_HOOK_SECRET": "value-123456"])
    XCTAssertEqual(r4.status, 0, r4.all)
    XCTAssertFalse(r4.all.contains("value-123456"))
  }
}
