import AlibabaCloud
import Foundation
import Logging

/// Delivers a finished run's events to every notifier at once, each bounded: an attempt ends at
/// `settings.timeout`, a failed attempt is retried `settings.retries` times after 0.5 s, 1 s, 2 s... (the injected
/// `sleep`), and a receiver's 4xx answer is final. Delivery never throws: a notifier that fails is a
/// `NotificationDelivery` with `delivered == false`, so it can never change the run's outcome or exit code.
/// Every event is passed through the redaction used for logs before it is rendered.
public struct NotificationDispatcher: Sendable {
  /// Sends the requests (the CLI passes an `AsyncHTTPClientTransport` whose overall timeout is `settings.timeout`).
  public var transport: any HTTPTransport
  /// Notifiers and bounds.
  public var settings: NotifySettings
  /// Waits between attempts (tests pass one that returns at once).
  public var sleep: @Sendable (Duration) async throws -> Void
  /// The clock for timestamps and signatures.
  public var now: @Sendable () -> Date
  /// Removes known secrets (signing secrets, the AccessKey secret...), private keys and signatures from text.
  public var redactor: SecretRedactor
  /// Where failed deliveries are logged.
  public var logger: Logger

  /// Creates a dispatcher.
  public init(
    transport: any HTTPTransport, settings: NotifySettings, sleep: @escaping @Sendable (Duration) async throws -> Void,
    now: @escaping @Sendable () -> Date, redactor: SecretRedactor = SecretRedactor(secrets: []),
    logger: Logger = Logger(label: "certhook.notify")
  ) {
    self.transport = transport
    self.settings = settings
    self.sleep = sleep
    self.now = now
    self.redactor = redactor
    self.logger = logger
  }

  /// Sends each notifier the events it asked for (none: nothing is sent to it); results in configuration order.
  public func deliver(
    command: String, host: String?, exitCode: Int32, events: [NotificationEvent], secrets: [String: String]
  ) async -> [NotificationDelivery] {
    let signing = SecretRedactor(secrets: Array(secrets.values))
    let redacted = events.map { $0.redacted { signing.clean(redactor.redact($0)) } }
    return await withTaskGroup(of: (Int, NotificationDelivery?).self) { group in
      for (index, notifier) in settings.notifiers.enumerated() {
        let chosen = redacted.filter { notifier.events.contains($0.kind) }
        guard !chosen.isEmpty else { continue }
        group.addTask {
          (index, await deliver(notifier, secret: secrets[notifier.name], command: command, host: host,
            exitCode: exitCode, events: chosen))
        }
      }
      var results: [(Int, NotificationDelivery)] = []
      for await (index, delivery) in group {
        if let delivery { results.append((index, delivery)) }
      }
      return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
  }

  private func deliver(
    _ notifier: NotifierSettings, secret: String?, command: String, host: String?, exitCode: Int32,
    events: [NotificationEvent]
  ) async -> NotificationDelivery {
    let url = URL(string: notifier.url)
    var delivery = NotificationDelivery(
      name: notifier.name, kind: notifier.kind, host: url?.host ?? "?", events: events.count, attempts: 0,
      delivered: false)
    if notifier.signs, secret == nil {
      delivery.error = "its signing secret (\(notifier.secretEnv.map { "environment variable \($0)" } ?? "secretFile")) is not available"
      log(delivery)
      return delivery
    }
    // The URL's path and query (Slack and WeCom tokens, DingTalk's access_token and sign) never reach a message.
    var hidden = [notifier.url, url?.path ?? "", url?.query ?? ""]
    if let secret { hidden.append(secret) }
    let request: HTTPRequestSpec
    do {
      request = try NotificationRequest.build(
        notifier: notifier, secret: secret, command: command, host: host, exitCode: exitCode, events: events, now: now())
    } catch {
      delivery.error = "\(error)"
      log(delivery)
      return delivery
    }
    hidden += [request.url.absoluteString, request.url.query ?? ""]
    let scrub = SecretRedactor(secrets: hidden)
    let attempts = settings.retries + 1
    for attempt in 1...attempts {
      delivery.attempts = attempt
      let verdict = await send(request)
      switch verdict {
      case .delivered:
        delivery.delivered = true
        delivery.error = nil
        return delivery
      case .final(let reason):
        delivery.error = scrub.clean(reason)
        log(delivery)
        return delivery
      case .retry(let reason):
        delivery.error = scrub.clean(reason)
      }
      guard attempt < attempts else { break }
      do {
        try await sleep(.milliseconds(500 << min(attempt - 1, 6)))
      } catch {
        break
      }
    }
    log(delivery)
    return delivery
  }

  private enum Verdict {
    case delivered
    case retry(String)
    case final(String)
  }

  private func send(_ request: HTTPRequestSpec) async -> Verdict {
    let response: HTTPResponseSpec
    do {
      response = try await withTimeout(seconds: settings.timeout) { try await transport.send(request) }
    } catch {
      return .retry("\(error)")
    }
    let text = String(decoding: response.body.prefix(300), as: UTF8.self)
    switch response.status {
    case 200..<300:
      // DingTalk and WeCom answer 200 with `errcode`, Feishu with `code`: non-zero means refused.
      if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] {
        for key in ["errcode", "code"] {
          if let code = object[key] as? Int, code != 0 {
            return .final("refused by the receiver (\(key) \(code)): \(text)")
          }
        }
      }
      return .delivered
    case 408, 429, 500...:
      return .retry("http \(response.status): \(text)")
    default:
      return .final("http \(response.status): \(text)")
    }
  }

  /// Runs `body`, giving up after `seconds` of wall time (the transport's own timeout is the first bound).
  private func withTimeout<T: Sendable>(
    seconds: Double, _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000) + 1000))
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next(), let value = first else {
        throw CertHookError.timeout("no answer within \(seconds) s")
      }
      return value
    }
  }

  private func log(_ delivery: NotificationDelivery) {
    logger.warning("notification not delivered", metadata: ["notifier": "\(delivery.name)", "error": "\(delivery.error ?? "-")"])
  }
}
