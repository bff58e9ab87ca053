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

extension NotifierSettings {
  /// Decodes one notifier. A webhook URL is never quoted (Slack and WeCom URLs carry their token), and an inline
  /// `secret:` is refused so no signing secret lives in the file.
  public init(from decoder: any Decoder) throws {
    let fields = try ConfigurationFields(
      decoder,
      known: ["name", "kind", "type", "url", "events", "onSuccess", "secret", "secretEnv", "secretFile", "msgtype", "style"])
    let kinds = Kind.allCases.map(\.rawValue).joined(separator: ", ")
    guard let kindKey = fields.first("kind", "type"), let kindText = try fields.string(kindKey, shownAs: "kind")?.lowercased()
    else {
      throw fields.error("kind", "missing; one of \(kinds)")
    }
    let aliases: [String: Kind] = ["lark": .feishu, "wechat": .wecom, "wework": .wecom, "generic": .webhook]
    guard let kind = Kind(rawValue: kindText) ?? aliases[kindText] else {
      throw fields.error(
        "kind", "\"\(kindText.prefix(40))\" is not a notifier kind; use one of \(kinds) (lark = feishu)")
    }
    guard fields.has("url") else { throw fields.error("url", "missing; the webhook address to post to") }
    let url = try Self.webhookURL(fields)
    if fields.has("secret") {
      throw fields.error(
        "secret",
        "a signing secret is not read from the configuration file; name it with secretEnv (an environment "
          + "variable) or secretFile (a file readable only by certhook's user)")
    }
    self.init(kind: kind, url: url)
    if let name = try fields.string("name") {
      guard !name.isEmpty else { throw fields.error("name", "must not be empty") }
      self.name = name
    }
    if let name = try fields.string("secretEnv") {
      guard !name.isEmpty, !name.contains("="),
        name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
      else {
        throw fields.error("secretEnv", "must be the name of an environment variable (letters, digits, _)")
      }
      secretEnv = name
    }
    if let file = try fields.string("secretFile") {
      guard file.hasPrefix("/") else { throw fields.error("secretFile", "must be an absolute path") }
      secretFile = file
    }
    if secretEnv != nil, secretFile != nil {
      throw fields.error(nil, "secretEnv and secretFile are exclusive; name one")
    }
    if signs, kind == .slack || kind == .wecom {
      throw fields.error(
        fields.has("secretEnv") ? "secretEnv" : "secretFile",
        "\(kind.rawValue) incoming webhooks are not signed; the URL itself is the secret (remove the secret)")
    }
    if let names = try fields.stringList("events") {
      var events = Set<NotificationEventKind>()
      for (i, name) in names.enumerated() {
        guard let event = NotificationEventKind(rawValue: name) else {
          throw fields.error(
            "events[\(i)]",
            "\"\(name.prefix(40))\" is not an event; use "
              + NotificationEventKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        events.insert(event)
      }
      self.events = events
    }
    if try fields.bool("onSuccess") == true { events.insert(.success) }
    if let key = fields.first("msgtype", "style") {
      style = try fields.oneOf(key, shownAs: "msgtype", ["markdown", "text"], as: Style.init(rawValue:)) ?? style
    }
  }

  /// An https URL, or http to a loopback host; the value is never quoted in an error (it may carry a token).
  private static func webhookURL(_ fields: ConfigurationFields) throws -> String {
    let text = try fields.string("url") ?? ""
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
      scheme == "https" || scheme == "http"
    else {
      throw fields.error("url", "is not an http(s) URL (value not shown: it may hold a token)")
    }
    if let port = url.port, !(1...65535).contains(port) {
      throw fields.error("url", "port \(port) is out of range (1 to 65535)")
    }
    let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    guard scheme == "https" || loopback else {
      throw fields.error("url", "must use https (plain http only to a loopback address); host \(host)")
    }
    return text
  }
}
