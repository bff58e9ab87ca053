import AlibabaCloud
import Foundation
import Logging

/// A run's notifications, sent once its outcome is known: every configured notifier at the same time over a fresh
/// HTTP client, bounded by `notify.timeout`/`notify.retries`, with every secret the run knows redacted.
public enum RunNotifications {
  /// Delivers `events` to the notifiers of `configuration` (none without `notify:` or without events); signing
  /// secrets are read from `environment` (`secretEnv`) or their files, and each problem goes to `warn`.
  public static func deliver(
    configuration: CertHookConfiguration?, command: String, host: @autoclosure () -> String, exitCode: Int32,
    events: [NotificationEvent], environment: [String: String], warn: (String) -> Void
  ) async -> [NotificationDelivery] {
    guard let settings = configuration?.notify, !settings.notifiers.isEmpty, !events.isEmpty else { return [] }
    let (secrets, problems) = NotifierSecrets.resolve(settings, environment: environment)
    for problem in problems { warn(problem) }
    let timeout = Duration.milliseconds(Int64(settings.timeout * 1000))
    let transport = AsyncHTTPClientTransport(
      timeouts: .init(connect: min(timeout, .seconds(5)), read: timeout, overall: timeout))
    let dispatcher = NotificationDispatcher(
      transport: transport, settings: settings, sleep: { try await Task.sleep(for: $0) }, now: { Date() },
      redactor: SecretRedactor(secrets: knownSecrets(configuration: configuration, environment: environment)),
      logger: Logger(label: "certhook.notify"))
    let deliveries = await dispatcher.deliver(
      command: command, host: host(), exitCode: exitCode, events: events, secrets: secrets)
    try? await transport.shutdown()
    return deliveries
  }

  /// Values that must never reach a notification: the configured AccessKey secret and every environment value
  /// whose name says it is a secret, token or password.
  static func knownSecrets(configuration: CertHookConfiguration?, environment: [String: String]) -> [String] {
    let named = environment.filter { name, _ in
      let upper = name.uppercased()
      return upper.contains("SECRET") || upper.contains("TOKEN") || upper.contains("PASSWORD")
    }.map(\.value)
    return named + [configuration?.credentials.accessKeySecret].compactMap { $0 }
  }
}
