import Foundation

/// The human text of one notification (title, plain-text and markdown bodies), shared by every chat format so
/// Slack, DingTalk, Feishu and WeCom say the same thing; each event names its deployment, listeners,
/// certificate, error code and RequestId.
public struct NotificationMessage: Sendable, Equatable {
  /// One line: command, host and what happened.
  public var title: String
  /// Plain text: the title, then one line per event.
  public var text: String
  /// Markdown: a heading, then one bullet per event.
  public var markdown: String

  /// Renders `events` of `command` (on `host`).
  public init(command: String, host: String?, events: [NotificationEvent]) {
    let counts = Dictionary(grouping: events, by: \.kind).sorted { $0.key < $1.key }
      .map { "\($0.value.count) \(Self.phrase($0.key))" }
    title = "certhook \(command)\(host.map { " on \($0)" } ?? ""): " + counts.joined(separator: ", ")
    text = ([title] + events.map { "- " + Self.line($0, markdown: false) }).joined(separator: "\n")
    markdown = (["### \(title)"] + events.map { "- " + Self.line($0, markdown: true) }).joined(separator: "\n")
  }

  /// What one event says: kind, then every fact that is known, then the message.
  static func line(_ event: NotificationEvent, markdown: Bool) -> String {
    let strong: (String) -> String = { markdown ? "**\($0)**" : $0 }
    var facts: [String] = []
    if let deployment = event.deployment { facts.append("deployment \(deployment)") }
    if !event.listeners.isEmpty { facts.append("listeners \(event.listeners.joined(separator: ", "))") }
    if let certificate = event.certificate { facts.append("certificate \(certificate)") }
    if !event.domains.isEmpty { facts.append("domains \(event.domains.joined(separator: ", "))") }
    if let code = event.errorCode { facts.append("code \(code)") }
    if let requestId = event.requestId { facts.append("RequestId \(requestId)") }
    let head = strong(phrase(event.kind, singular: true))
    return facts.isEmpty ? "\(head): \(event.message)" : "\(head) (\(facts.joined(separator: "; "))): \(event.message)"
  }

  static func phrase(_ kind: NotificationEventKind, singular: Bool = false) -> String {
    switch kind {
    case .deploymentFailed: return singular ? "deployment failed" : "deployment(s) failed"
    case .listenerFailed: return singular ? "listener failed" : "listener(s) failed"
    case .certificateRefused: return singular ? "certificate refused" : "certificate(s) refused"
    case .expiryWarning: return singular ? "expiry warning" : "expiry warning(s)"
    case .success: return singular ? "success" : "success(es)"
    }
  }
}
