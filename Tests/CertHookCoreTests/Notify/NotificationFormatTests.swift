import AlibabaCloud
import CertHookCore
import CloudEmulator
import Foundation
import XCTest

/// Every notifier format against a real HTTP receiver on 127.0.0.1: the payload each platform documents, its
/// signature checked with an independent HMAC (the `openssl` command), and the facts every message must name.
final class NotificationFormatTests: XCTestCase {
  static let now = Date(timeIntervalSince1970: 1_796_000_000.25)
  static let secret = "SECsigning-secret-never-sent"

  static let events = [
    NotificationEvent(
      kind: .listenerFailed, deployment: "www", listeners: ["lsr-h1-https"], certificate: "www-2026 (CAS 17)",
      domains: ["www.example.test"], errorCode: "IncorrectStatus.Listener", requestId: "REQ-42",
      message: "lsr-h1-https: AssociateAdditionalCertificatesWithListener: IncorrectStatus.Listener: busy (http 400, request id REQ-42)"),
    NotificationEvent(kind: .success, deployment: "api", listeners: ["lsr-h2-https"], message: "1 listener(s) now serve the certificate"),
  ]

  private func deliver(
    _ notifier: NotifierSettings, receiver: WebhookReceiver, secrets: [String: String] = [:],
    events: [NotificationEvent] = NotificationFormatTests.events, retries: Int = 0,
    redactor: SecretRedactor = SecretRedactor(secrets: [])
  ) async throws -> (NotificationDelivery, [WebhookReceiver.Received]) {
    let transport = AsyncHTTPClientTransport()
    let dispatcher = NotificationDispatcher(
      transport: transport, settings: NotifySettings(notifiers: [notifier], timeout: 5, retries: retries),
      sleep: { _ in }, now: { Self.now }, redactor: redactor)
    let deliveries = await dispatcher.deliver(
      command: "sync", host: "host-1", exitCode: 1, events: events, secrets: secrets)
    try await transport.shutdown()
    let delivery = try XCTUnwrap(deliveries.first)
    XCTAssertEqual(deliveries.count, 1)
    return (delivery, await receiver.requests)
  }

  /// The facts every message names: deployment, listener, certificate, error code and RequestId.
  private func assertNamesEverything(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
    for fact in ["www", "lsr-h1-https", "www-2026 (CAS 17)", "IncorrectStatus.Listener", "REQ-42"] {
      XCTAssertTrue(text.contains(fact), "message names \(fact): \(text)", file: file, line: line)
    }
  }

  func testGenericWebhookSendsTheVersionedDocumentSignedWithHMACSHA256() async throws {
    let receiver = try await WebhookReceiver.start()
    defer { receiver.stop() }
    let notifier = NotifierSettings(
      name: "ops", kind: .webhook, url: receiver.url.absoluteString + "/hooks/certhook",
      events: Set(NotificationEventKind.allCases), secretEnv: "HOOK_SECRET")
    let (delivery, requests) = try await deliver(notifier, receiver: receiver, secrets: ["ops": Self.secret])
    XCTAssertTrue(delivery.delivered, delivery.summaryLine)
    XCTAssertEqual(delivery.attempts, 1)
    let request = try XCTUnwrap(requests.first)
    XCTAssertEqual(request.path, "/hooks/certhook")
    XCTAssertEqual(request.headers["content-type"], "application/json; charset=utf-8")
    let json = try request.json()
    XCTAssertEqual(json["schema"] as? String, "certhook.notification.v1")
    XCTAssertEqual(json["command"] as? String, "sync")
    XCTAssertEqual(json["exitCode"] as? Int, 1)
    XCTAssertEqual(json["host"] as? String, "host-1")
    XCTAssertEqual(json["sentAt"] as? String, "2026-11-30T00:53:20Z")
    let events = try XCTUnwrap(json["events"] as? [[String: Any]])
    XCTAssertEqual(events.map { $0["kind"] as? String }, ["listenerFailed", "success"])
    XCTAssertEqual(events[0]["errorCode"] as? String, "IncorrectStatus.Listener")
    XCTAssertEqual(events[0]["requestId"] as? String, "REQ-42")
    XCTAssertEqual(events[0]["listeners"] as? [String], ["lsr-h1-https"])
    XCTAssertEqual(events[0]["certificate"] as? String, "www-2026 (CAS 17)")
    // The signature, recomputed independently over "<timestamp>.<body>".
    let timestamp = try XCTUnwrap(request.headers["x-certhook-timestamp"])
    XCTAssertEqual(timestamp, "1796000000")
    let expected = try IndependentHMAC.sha256(
      key: Self.secret, message: timestamp + "." + String(decoding: request.body, as: UTF8.self))
    XCTAssertEqual(request.headers["x-certhook-signature"], "sha256=" + expected.map { String(format: "%02x", $0) }.joined())
    XCTAssertFalse(String(decoding: request.body, as: UTF8.self).contains(Self.secret))
  }

  func testUnsignedGenericWebhookHasNoSignatureHeader() async throws {
    let receiver = try await WebhookReceiver.start()
    defer { receiver.stop() }
    let (delivery, requests) = try await deliver(
      NotifierSettings(kind: .webhook, url: receiver.url.absoluteString + "/h"), receiver: receiver)
    XCTAssertTrue(delivery.delivered)
    XCTAssertNil(requests.first?.headers["x-certhook-signature"])
    // Default events: failures and warnings, not success.
    let events = try XCTUnwrap(try requests.first?.json()["events"] as? [[String: Any]])
    XCTAssertEqual(events.map { $0["kind"] as? String }, ["listenerFailed"])
  }

  func testSlackIncomingWebhookGetsText() async throws {
    let receiver = try await WebhookReceiver.start { _ in .init(status: 200, body: "ok") }
    defer { receiver.stop() }
    let (delivery, requests) = try await deliver(
      NotifierSettings(kind: .slack, url: receiver.url.absoluteString + "/services/T000/B000/XXXXXXXX"), receiver: receiver)
    XCTAssertTrue(delivery.delivered, delivery.summaryLine)
    let request = try XCTUnwrap(requests.first)
    XCTAssertEqual(request.path, "/services/T000/B000/XXXXXXXX")
    let json = try request.json()
    XCTAssertEqual(Set(json.keys), ["text"])
    let text = try XCTUnwrap(json["text"] as? String)
    XCTAssertTrue(text.hasPrefix("certhook sync on host-1: 1 listener(s) failed"), text)
    assertNamesEverything(text)
  }

  func testDingTalkMarkdownSignedWithTimestampAndSignQueryParameters() async throws {
    let receiver = try await WebhookReceiver.start()
    defer { receiver.stop() }
    let notifier = NotifierSettings(
      name: "ding", kind: .dingtalk, url: receiver.url.absoluteString + "/robot/send?access_token=abc123",
      secretFile: "/run/secret")
    let (delivery, requests) = try await deliver(notifier, receiver: receiver, secrets: ["ding": Self.secret])
    XCTAssertTrue(delivery.delivered, delivery.summaryLine)
    let request = try XCTUnwrap(requests.first)
    XCTAssertEqual(request.path, "/robot/send")
    XCTAssertEqual(request.queryItem("access_token"), "abc123")
    let timestamp = try XCTUnwrap(request.queryItem("timestamp"))
    XCTAssertEqual(timestamp, "1796000000250", "milliseconds")
    // sign = urlencode(base64(HMAC-SHA256(key: secret, "<timestamp>\n<secret>"))); queryItem has decoded it once.
    let expected = try IndependentHMAC.sha256(key: Self.secret, message: "\(timestamp)\n\(Self.secret)").base64EncodedString()
    XCTAssertEqual(request.queryItem("sign"), expected)
    XCTAssertFalse(request.query.contains("+"), "base64 '+' is percent-encoded: \(request.query)")
    let json = try request.json()
    XCTAssertEqual(json["msgtype"] as? String, "markdown")
    let markdown = try XCTUnwrap(json["markdown"] as? [String: Any])
    XCTAssertTrue((markdown["title"] as? String ?? "").hasPrefix("certhook sync"))
    assertNamesEverything(markdown["text"] as? String ?? "")
  }

  func testDingTalkTextStyleAndARefusingAnswerIsNotDelivered() async throws {
    let receiver = try await WebhookReceiver.start { _ in .init(status: 200, body: "{\"errcode\":310000,\"errmsg\":\"sign not match\"}") }
    defer { receiver.stop() }
    var notifier = NotifierSettings(kind: .dingtalk, url: receiver.url.absoluteString + "/robot/send?access_token=t0k3n-value")
    notifier.style = .text
    let (delivery, requests) = try await deliver(notifier, receiver: receiver, retries: 2)
    XCTAssertFalse(delivery.delivered)
    XCTAssertEqual(delivery.attempts, 1, "a refusal is final, not retried")
    XCTAssertTrue(delivery.error?.contains("errcode 310000") == true, delivery.summaryLine)
    XCTAssertFalse(delivery.summaryLine.contains("t0k3n-value"), "the url's token is not shown: \(delivery.summaryLine)")
    let json = try XCTUnwrap(requests.first).json()
    XCTAssertEqual(json["msgtype"] as? String, "text")
    assertNamesEverything((json["text"] as? [String: Any])?["content"] as? String ?? "")
  }

  func testFeishuTextSignedWithTimestampAndSignInTheBody() async throws {
    let receiver = try await WebhookReceiver.start { _ in .init(status: 200, body: "{\"code\":0,\"msg\":\"success\",\"data\":{}}") }
    defer { receiver.stop() }
    let notifier = NotifierSettings(
      name: "lark", kind: .feishu, url: receiver.url.absoluteString + "/open-apis/bot/v2/hook/0000-1111", secretEnv: "LARK")
    let (delivery, requests) = try await deliver(notifier, receiver: receiver, secrets: ["lark": Self.secret])
    XCTAssertTrue(delivery.delivered, delivery.summaryLine)
    let json = try XCTUnwrap(requests.first).json()
    XCTAssertEqual(json["msg_type"] as? String, "text")
    let timestamp = try XCTUnwrap(json["timestamp"] as? String)
    XCTAssertEqual(timestamp, "1796000000", "seconds")
    // sign = base64(HMAC-SHA256(key: "<timestamp>\n<secret>", message: "")).
    let expected = try IndependentHMAC.sha256(key: "\(timestamp)\n\(Self.secret)", message: "").base64EncodedString()
    XCTAssertEqual(json["sign"] as? String, expected)
    assertNamesEverything(((json["content"] as? [String: Any])?["text"] as? String) ?? "")
  }

  func testWeComMarkdownAndText() async throws {
    let receiver = try await WebhookReceiver.start { _ in .init(status: 200, body: "{\"errcode\":0,\"errmsg\":\"ok\"}") }
    defer { receiver.stop() }
    let url = receiver.url.absoluteString + "/cgi-bin/webhook/send?key=693a91f6-7xxx"
    let (markdownDelivery, first) = try await deliver(NotifierSettings(kind: .wecom, url: url), receiver: receiver)
    XCTAssertTrue(markdownDelivery.delivered)
    let markdown = try XCTUnwrap(first.first).json()
    XCTAssertEqual(markdown["msgtype"] as? String, "markdown")
    let content = ((markdown["markdown"] as? [String: Any])?["content"] as? String) ?? ""
    XCTAssertTrue(content.hasPrefix("### certhook sync"), content)
    assertNamesEverything(content)
    XCTAssertEqual(try XCTUnwrap(first.first).queryItem("key"), "693a91f6-7xxx")
    var text = NotifierSettings(kind: .wecom, url: url)
    text.style = .text
    let (_, both) = try await deliver(text, receiver: receiver)
    let plain = try XCTUnwrap(both.last).json()
    XCTAssertEqual(plain["msgtype"] as? String, "text")
    assertNamesEverything(((plain["text"] as? [String: Any])?["content"] as? String) ?? "")
  }

  func testASecretInAnErrorFromTheNetworkNeverReachesThePayload() async throws {
    let receiver = try await WebhookReceiver.start()
    defer { receiver.stop() }
    let accessKeySecret = "AccessKeySecretValue-0123456789"
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----"
    let leaky = NotificationEvent(
      kind: .deploymentFailed, deployment: "www", requestId: "R-1",
      message: "www: UploadUserCertificate: InvalidParameter: echoed \(accessKeySecret) and \(pem) "
        + "url?Signature=abcdefSIGNATURE&x=1 and the notifier secret \(Self.secret) (http 400, request id R-1)")
    for kind in NotifierSettings.Kind.allCases {
      let notifier = NotifierSettings(
        name: kind.rawValue, kind: kind, url: receiver.url.absoluteString + "/\(kind.rawValue)",
        secretEnv: kind == .slack || kind == .wecom ? nil : "S")
      let (delivery, _) = try await deliver(
        notifier, receiver: receiver, secrets: [kind.rawValue: Self.secret], events: [leaky],
        redactor: SecretRedactor(secrets: [accessKeySecret]))
      XCTAssertTrue(delivery.delivered, delivery.summaryLine)
    }
    let requests = await receiver.requests
    XCTAssertEqual(requests.count, NotifierSettings.Kind.allCases.count)
    for request in requests {
      let body = String(decoding: request.body, as: UTF8.self)
      XCTAssertFalse(body.contains(accessKeySecret), "\(request.path): \(body)")
      XCTAssertFalse(body.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"), "\(request.path): \(body)")
      XCTAssertFalse(body.contains("abcdefSIGNATURE"), "\(request.path): \(body)")
      XCTAssertFalse(body.contains(Self.secret), "\(request.path): \(body)")
      XCTAssertTrue(body.contains("<redacted>"), "\(request.path): \(body)")
      XCTAssertTrue(body.contains("R-1"), "the RequestId stays: \(body)")
    }
  }
}
