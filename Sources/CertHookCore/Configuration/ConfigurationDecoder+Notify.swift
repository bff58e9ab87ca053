import Foundation
import Yams

/// `notify:`: a list of notifiers, or a mapping with `notifiers:` (or `targets:`), `timeout:` and `retries:`.
/// Errors name the key path (`notify.notifiers[1].url`); a webhook URL is never quoted (Slack and WeCom URLs carry
/// their token), and an inline `secret:` is refused so no signing secret lives in the file.
extension ConfigurationDecoder {
  func notify(_ node: Node, path: String) throws -> NotifySettings {
    var settings = NotifySettings()
    var listPath = path
    let list: Node.Sequence
    if let sequence = node.sequence {
      list = sequence
    } else {
      let m = try fields(
        try mapping(node, path: path), path: path, known: ["notifiers", "targets", "timeout", "retries"])
      if let n = m["timeout"] {
        settings.timeout = try inRange(
          try seconds(n, path: "\(path).timeout"), NotifySettings.timeoutRange, path: "\(path).timeout", unit: " s")
      }
      if let n = m["retries"] {
        settings.retries = try inRange(try int(n, path: "\(path).retries"), NotifySettings.retriesRange, path: "\(path).retries")
      }
      let key = m["notifiers"] != nil ? "notifiers" : "targets"
      listPath = "\(path).\(key)"
      guard let n = m[key] else { return settings }
      guard let sequence = n.sequence else {
        throw CertHookError.configuration(path: listPath, message: "must be a list of notifiers\(describe(n))")
      }
      list = sequence
    }
    settings.notifiers += try uniquelyNamed(
      list, path: listPath, name: \.name, duplicate: { "duplicate notifier name \"\($0)\"; give each a name" }
    ) { try self.notifier($0, path: $1) }
    return settings
  }

  func notifier(_ node: Node, path: String) throws -> NotifierSettings {
    let m = try fields(
      try mapping(node, path: path), path: path,
      known: ["name", "kind", "type", "url", "events", "onSuccess", "secret", "secretEnv", "secretFile", "msgtype", "style"])
    guard let kindNode = m["kind"] ?? m["type"] else {
      throw CertHookError.configuration(
        path: "\(path).kind", message: "missing; one of \(NotifierSettings.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    let kindText = try string(kindNode, path: "\(path).kind").lowercased()
    let aliases: [String: NotifierSettings.Kind] = ["lark": .feishu, "wechat": .wecom, "wework": .wecom, "generic": .webhook]
    guard let kind = NotifierSettings.Kind(rawValue: kindText) ?? aliases[kindText] else {
      throw CertHookError.configuration(
        path: "\(path).kind",
        message: "\"\(kindText.prefix(40))\" is not a notifier kind; use one of "
          + NotifierSettings.Kind.allCases.map(\.rawValue).joined(separator: ", ") + " (lark = feishu)")
    }
    guard let urlNode = m["url"] else {
      throw CertHookError.configuration(path: "\(path).url", message: "missing; the webhook address to post to")
    }
    let url = try notifierURL(urlNode, path: "\(path).url")
    if m["secret"] != nil {
      throw CertHookError.configuration(
        path: "\(path).secret",
        message: "a signing secret is not read from the configuration file; name it with secretEnv (an environment "
          + "variable) or secretFile (a file readable only by certhook's user)")
    }
    var settings = NotifierSettings(kind: kind, url: url)
    if let n = m["name"] {
      let name = try string(n, path: "\(path).name")
      guard !name.isEmpty else { throw CertHookError.configuration(path: "\(path).name", message: "must not be empty") }
      settings.name = name
    }
    if let n = m["secretEnv"] {
      let name = try string(n, path: "\(path).secretEnv")
      guard !name.isEmpty, !name.contains("="), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
      else {
        throw CertHookError.configuration(
          path: "\(path).secretEnv", message: "must be the name of an environment variable (letters, digits, _)")
      }
      settings.secretEnv = name
    }
    if let n = m["secretFile"] {
      let file = try string(n, path: "\(path).secretFile")
      guard file.hasPrefix("/") else {
        throw CertHookError.configuration(path: "\(path).secretFile", message: "must be an absolute path")
      }
      settings.secretFile = file
    }
    if settings.secretEnv != nil, settings.secretFile != nil {
      throw CertHookError.configuration(path: path, message: "secretEnv and secretFile are exclusive; name one")
    }
    if settings.signs, kind == .slack || kind == .wecom {
      throw CertHookError.configuration(
        path: "\(path).\(m["secretEnv"] != nil ? "secretEnv" : "secretFile")",
        message: "\(kind.rawValue) incoming webhooks are not signed; the URL itself is the secret (remove the secret)")
    }
    if let n = m["events"] {
      var events = Set<NotificationEventKind>()
      for (i, name) in try stringList(n, path: "\(path).events").enumerated() {
        guard let event = NotificationEventKind(rawValue: name) else {
          throw CertHookError.configuration(
            path: "\(path).events[\(i)]",
            message: "\"\(name.prefix(40))\" is not an event; use "
              + NotificationEventKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        events.insert(event)
      }
      settings.events = events
    }
    if let n = m["onSuccess"], try bool(n, path: "\(path).onSuccess") { settings.events.insert(.success) }
    if let n = m["msgtype"] ?? m["style"] {
      settings.style = try oneOf(n, path: "\(path).msgtype", ["markdown", "text"], as: NotifierSettings.Style.init(rawValue:))
    }
    return settings
  }

  /// An https URL, or http to a loopback host; the value is never quoted in an error (it may carry a token).
  func notifierURL(_ node: Node, path: String) throws -> String {
    let s = try string(node, path: path)
    guard let u = URL(string: s), let scheme = u.scheme?.lowercased(), let host = u.host, !host.isEmpty,
      scheme == "https" || scheme == "http"
    else {
      throw CertHookError.configuration(path: path, message: "is not an http(s) URL (value not shown: it may hold a token)")
    }
    if let port = u.port, !(1...65535).contains(port) {
      throw CertHookError.configuration(path: path, message: "port \(port) is out of range (1 to 65535)")
    }
    let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    guard scheme == "https" || loopback else {
      throw CertHookError.configuration(
        path: path, message: "must use https (plain http only to a loopback address); host \(host)")
    }
    return s
  }
}
