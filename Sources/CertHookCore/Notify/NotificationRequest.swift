import AlibabaCloud
import Foundation

/// Builds the HTTP request one notifier receives, in its platform's documented format and signing:
/// - `webhook`: certhook's JSON document (schema `certhook.notification.v1`); with a secret, `X-Certhook-Timestamp`
///   (Unix seconds) and `X-Certhook-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
/// - `slack`: `{"text": ...}`.
/// - `dingtalk`: `msgtype` markdown or text; with a secret, query parameters `timestamp` (Unix milliseconds) and
///   `sign` = url-encoded base64 HMAC-SHA256 of `"<timestamp>\n<secret>"` under the secret.
/// - `feishu`: `{"msg_type": "text", "content": {"text": ...}}`; with a secret, `timestamp` (Unix seconds) and
///   `sign` = base64 HMAC-SHA256 of an empty message under the key `"<timestamp>\n<secret>"`, in the body.
/// - `wecom`: `msgtype` markdown or text.
public enum NotificationRequest {
  /// The schema name of the generic webhook's document.
  public static let schema = "certhook.notification.v1"
  /// Longest text a chat message carries (WeCom's markdown limit is 4096 bytes; longer text is cut).
  static let maxChatBytes = 4000

  /// The request for `notifier` carrying `events`.
  public static func build(
    notifier: NotifierSettings, secret: String?, command: String, host: String?, exitCode: Int32,
    events: [NotificationEvent], now: Date
  ) throws -> HTTPRequestSpec {
    guard var url = URL(string: notifier.url) else {
      throw CertHookError.invalidArgument("notifier \(notifier.name): the url is not a URL")
    }
    let message = NotificationMessage(command: command, host: host, events: events)
    var headers = [("content-type", "application/json; charset=utf-8"), ("user-agent", "certhook")]
    let body: [UInt8]
    switch notifier.kind {
    case .webhook:
      body = try encode(GenericDocument(
        schema: schema, command: command, host: host, sentAt: rfc3339(now), exitCode: exitCode, title: message.title,
        events: events))
      headers.append(("x-certhook-event", Array(Set(events.map(\.kind.rawValue))).sorted().joined(separator: ",")))
      if let secret {
        let timestamp = String(Int64(now.timeIntervalSince1970))
        headers.append(("x-certhook-timestamp", timestamp))
        headers.append(("x-certhook-signature", "sha256=" + webhookSignature(secret: secret, timestamp: timestamp, body: body)))
      }
    case .slack:
      body = try json(["text": cut(message.text)])
    case .dingtalk:
      body = try json(
        notifier.style == .markdown
          ? ["msgtype": "markdown", "markdown": ["title": String(message.title.prefix(100)), "text": cut(message.markdown)]]
          : ["msgtype": "text", "text": ["content": cut(message.text)]])
      if let secret {
        let timestamp = String(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        url = try appending(
          [("timestamp", timestamp), ("sign", AcsPercentEncoding.encode(dingTalkSign(secret: secret, timestamp: timestamp)))],
          to: url, notifier: notifier.name)
      }
    case .feishu:
      var document: [String: Any] = ["msg_type": "text", "content": ["text": cut(message.text)]]
      if let secret {
        let timestamp = String(Int64(now.timeIntervalSince1970))
        document["timestamp"] = timestamp
        document["sign"] = feishuSign(secret: secret, timestamp: timestamp)
      }
      body = try json(document)
    case .wecom:
      body = try json(
        notifier.style == .markdown
          ? ["msgtype": "markdown", "markdown": ["content": cut(message.markdown)]]
          : ["msgtype": "text", "text": ["content": cut(message.text, limit: 2000)]])
    }
    return HTTPRequestSpec(method: "POST", url: url, headers: headers, body: body)
  }

  /// Hex HMAC-SHA256 of `"<timestamp>.<body>"` under the secret (the generic webhook's signature).
  public static func webhookSignature(secret: String, timestamp: String, body: [UInt8]) -> String {
    Hashing.hex(Hashing.hmacSHA256(key: Array(secret.utf8), data: Array((timestamp + ".").utf8) + body))
  }

  /// DingTalk's `sign` before url-encoding: base64 HMAC-SHA256 of `"<timestamp>\n<secret>"` under the secret.
  public static func dingTalkSign(secret: String, timestamp: String) -> String {
    Data(Hashing.hmacSHA256(key: Array(secret.utf8), data: Array("\(timestamp)\n\(secret)".utf8))).base64EncodedString()
  }

  /// Feishu's `sign`: base64 HMAC-SHA256 of an empty message under the key `"<timestamp>\n<secret>"`.
  public static func feishuSign(secret: String, timestamp: String) -> String {
    Data(Hashing.hmacSHA256(key: Array("\(timestamp)\n\(secret)".utf8), data: [])).base64EncodedString()
  }

  private struct GenericDocument: Encodable {
    let schema: String
    let command: String
    let host: String?
    let sentAt: String
    let exitCode: Int32
    let title: String
    let events: [NotificationEvent]
  }

  private static func encode(_ document: GenericDocument) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(rfc3339(date))
    }
    return Array(try encoder.encode(document))
  }

  private static func json(_ object: [String: Any]) throws -> [UInt8] {
    Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
  }

  /// `yyyy-MM-ddTHH:mm:ssZ` in UTC of `date` rounded to the millisecond (as `ISO8601DateFormatter` wrote it: a time
  /// 0.5 ms or less before a whole second shows that second); the half millisecond added keeps the style, which
  /// cuts fractions, from landing just below a whole millisecond.
  static func rfc3339(_ date: Date) -> String {
    let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
    return Date.ISO8601FormatStyle(timeZone: .gmt).format(Date(timeIntervalSince1970: (milliseconds + 0.5) / 1000))
  }

  /// `text` cut at a character boundary to at most `limit` UTF-8 bytes, marked when cut.
  static func cut(_ text: String, limit: Int = maxChatBytes) -> String {
    guard text.utf8.count > limit else { return text }
    var out = ""
    var used = 0
    for character in text {
      let size = String(character).utf8.count
      guard used + size <= limit - 20 else { break }
      out.append(character)
      used += size
    }
    return out + "\n… (cut)"
  }

  private static func appending(_ items: [(String, String)], to url: URL, notifier: String) throws -> URL {
    let extra = items.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    let text = url.absoluteString
    let joined: String
    if let hash = text.firstIndex(of: "#") {
      let base = String(text[..<hash])
      joined = base + (base.contains("?") ? "&" : "?") + extra + String(text[hash...])
    } else {
      joined = text + (text.contains("?") ? "&" : "?") + extra
    }
    guard let result = URL(string: joined) else {
      throw CertHookError.invalidArgument("notifier \(notifier): cannot add the signature to the url")
    }
    return result
  }
}
