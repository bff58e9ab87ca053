import Foundation

/// One notifier of `notify:`: where to post, in which platform's format, which events, and where its signing
/// secret lives. A secret is only ever named (an environment variable or a file), never written in the YAML.
public struct NotifierSettings: Sendable, Codable, Equatable {
  /// The message format a notifier speaks.
  public enum Kind: String, Codable, Sendable, CaseIterable {
    /// certhook's own JSON document (`docs/notifications.md`), optionally HMAC-SHA256 signed in a header.
    case webhook
    /// A Slack incoming webhook (`{"text": ...}`).
    case slack
    /// A DingTalk custom robot (optional signing: `timestamp` and `sign` query parameters).
    case dingtalk
    /// A Feishu/Lark custom bot (optional signing: `timestamp` and `sign` in the body).
    case feishu
    /// A WeCom (WeChat Work) group robot.
    case wecom
  }

  /// How the chat platforms that offer both render the message (DingTalk, WeCom).
  public enum Style: String, Codable, Sendable, CaseIterable {
    /// Markdown (the default).
    case markdown
    /// Plain text.
    case text
  }

  /// A name for the summary and logs (default: the kind).
  public var name: String
  /// The message format.
  public var kind: Kind
  /// Where to post (https, or http to a loopback address).
  public var url: String
  /// Events sent to this notifier.
  public var events: Set<NotificationEventKind>
  /// Environment variable holding the signing secret.
  public var secretEnv: String?
  /// File holding the signing secret (trailing line breaks ignored).
  public var secretFile: String?
  /// Markdown or text, for DingTalk and WeCom.
  public var style: Style

  /// Creates a notifier.
  public init(
    name: String? = nil, kind: Kind, url: String, events: Set<NotificationEventKind> = NotificationEventKind.defaults,
    secretEnv: String? = nil, secretFile: String? = nil, style: Style = .markdown
  ) {
    self.name = name ?? kind.rawValue
    self.kind = kind
    self.url = url
    self.events = events
    self.secretEnv = secretEnv
    self.secretFile = secretFile
    self.style = style
  }

  /// True when a secret is configured (the message is signed).
  public var signs: Bool { secretEnv != nil || secretFile != nil }
}
