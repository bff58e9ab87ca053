import Foundation
import Yams

/// Walks a YAML document into a `CertHookConfiguration`, tracking key paths for errors and warnings.
struct ConfigurationDecoder {
  let source: String
  private final class Warnings {
    var items: [String] = []
  }
  private let warnings = Warnings()

  init(source: String) {
    self.source = source
  }

  func decode(yaml: String) throws -> (CertHookConfiguration, warnings: [String]) {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch {
      // Never "\(error)": Yams quotes the offending line there, and that line may hold the secret.
      throw CertHookError.configuration(path: "", message: "\(source) is not valid YAML: \(YAMLErrorSummary.describe(error))")
    }
    guard let root, let top = root.mapping else {
      throw CertHookError.configuration(
        path: "", message: "\(source) must be a mapping with `version` and `deployments`")
    }
    let map = try fields(
      top, path: "",
      known: [
        "version", "region", "credentials", "endpoints", "rateLimits", "rate_limits", "timeouts", "statePath",
        "state_path", "state", "quotas", "deployments", "notify", "accounts",
      ])
    var config = CertHookConfiguration(deployments: [])
    if let node = map["version"] {
      let version = try int(node, path: "version")
      guard version == 1 else {
        throw CertHookError.configuration(
          path: "version", message: "unsupported version \(version); this certhook reads version 1")
      }
      config.version = version
    } else {
      warn("version: missing; assuming 1")
    }
    if let node = map["region"] { config.region = try region(node, path: "region") }
    if let node = map["credentials"] { config.credentials = try credentials(node, path: "credentials") }
    if let node = map["accounts"] { config.accounts = try accounts(node, path: "accounts") }
    if let node = map["endpoints"] {
      let m = try fields(try mapping(node, path: "endpoints"), path: "endpoints", known: ["alb", "cas"])
      if let n = m["alb"] { config.endpoints.alb = try url(n, path: "endpoints.alb") }
      if let n = m["cas"] { config.endpoints.cas = try url(n, path: "endpoints.cas") }
    }
    if let node = map["rateLimits"] ?? map["rate_limits"] {
      let m = try fields(
        try mapping(node, path: "rateLimits"), path: "rateLimits", known: ["concurrency", "writesPerSecond", "actions"])
      if let n = m["concurrency"] {
        let c = try int(n, path: "rateLimits.concurrency")
        guard c >= 1 else {
          throw CertHookError.configuration(path: "rateLimits.concurrency", message: "must be at least 1")
        }
        config.rateLimits.concurrency = try inRange(c, RateLimitSettings.concurrencyRange, path: "rateLimits.concurrency")
      }
      if let n = m["writesPerSecond"] {
        let w = try double(n, path: "rateLimits.writesPerSecond")
        guard w > 0 else {
          throw CertHookError.configuration(path: "rateLimits.writesPerSecond", message: "must be positive")
        }
        config.rateLimits.writesPerSecond = try inRange(
          w, RateLimitSettings.writesPerSecondRange, path: "rateLimits.writesPerSecond", unit: " per second")
      }
      if let n = m["actions"] { config.rateLimits.actions = try actionRates(n, path: "rateLimits.actions") }
    }
    if let node = map["timeouts"] {
      let m = try fields(try mapping(node, path: "timeouts"), path: "timeouts", known: ["job", "hook", "request"])
      if let n = m["job"] {
        config.timeouts.job = try inRange(
          try seconds(n, path: "timeouts.job"), TimeoutSettings.jobRange, path: "timeouts.job", unit: " s")
      }
      if let n = m["hook"] {
        config.timeouts.hook = try inRange(
          try seconds(n, path: "timeouts.hook"), TimeoutSettings.hookRange, path: "timeouts.hook", unit: " s")
      }
      if let n = m["request"] {
        config.timeouts.request = try inRange(
          try seconds(n, path: "timeouts.request"), TimeoutSettings.requestRange, path: "timeouts.request", unit: " s")
      }
    }
    if let node = map["statePath"] ?? map["state_path"] ?? map["state"] {
      config.statePath = try string(node, path: "statePath")
    }
    if let node = map["quotas"] {
      let m = try mapping(node, path: "quotas")
      for (key, value) in m {
        let lb = try string(key, path: "quotas")
        config.quotas[lb] = try inRange(try int(value, path: "quotas.\(lb)"), 0...10_000, path: "quotas.\(lb)")
      }
    }
    if let node = map["notify"] { config.notify = try notify(node, path: "notify") }
    guard let deploymentsNode = map["deployments"] else {
      throw CertHookError.configuration(path: "deployments", message: "missing; list at least one deployment")
    }
    guard let list = deploymentsNode.sequence else {
      throw CertHookError.configuration(path: "deployments", message: "must be a list of deployments")
    }
    config.deployments = try uniquelyNamed(
      list, path: "deployments", name: \.name, duplicate: { "duplicate deployment name \"\($0)\"" }
    ) { try self.deployment($0, path: $1) }
    try checkAccounts(config)
    return (config, warnings.items)
  }

  // MARK: - sections

  func credentials(_ node: Node, path: String, extraKeys: Set<String> = []) throws -> CredentialSettings {
    if extraKeys.isEmpty, let s = node.scalar?.string {
      switch s {
      case "environment", "env": return CredentialSettings(environment: true)
      default: return CredentialSettings(profile: s)
      }
    }
    let m = try fields(
      try mapping(node, path: path), path: path,
      known: Set(["profile", "environment", "accessKeyId", "accessKeySecret", "assumeRole"]).union(extraKeys))
    var settings = CredentialSettings()
    if let n = m["profile"] { settings.profile = try string(n, path: "\(path).profile") }
    if let n = m["environment"] { settings.environment = try bool(n, path: "\(path).environment") }
    if let n = m["accessKeyId"] { settings.accessKeyId = try string(n, path: "\(path).accessKeyId") }
    if let n = m["accessKeySecret"] { settings.accessKeySecret = try string(n, path: "\(path).accessKeySecret") }
    if (settings.accessKeyId == nil) != (settings.accessKeySecret == nil) {
      throw CertHookError.configuration(path: path, message: "accessKeyId and accessKeySecret go together")
    }
    if let n = m["assumeRole"] { settings.assumeRole = try assumeRole(n, path: "\(path).assumeRole") }
    return settings
  }

  func assumeRole(_ node: Node, path: String) throws -> AssumeRoleSettings {
    let m = try fields(
      try mapping(node, path: path), path: path,
      known: ["roleArn", "sessionName", "durationSeconds", "policy", "externalId"])
    guard let arnNode = m["roleArn"] else {
      throw CertHookError.configuration(path: "\(path).roleArn", message: "missing (acs:ram::<account-id>:role/<name>)")
    }
    let arn = try string(arnNode, path: "\(path).roleArn")
    guard AssumeRoleSettings.isRoleArn(arn) else {
      throw CertHookError.configuration(
        path: "\(path).roleArn", message: "must look like acs:ram::<account-id>:role/<name>")
    }
    var settings = AssumeRoleSettings(roleArn: arn)
    if let n = m["sessionName"] { settings.sessionName = try string(n, path: "\(path).sessionName") }
    if let n = m["durationSeconds"] {
      let text = try string(n, path: "\(path).durationSeconds")
      guard let value = Int(text), AssumeRoleSettings.durationRange.contains(value) else {
        throw CertHookError.configuration(
          path: "\(path).durationSeconds", message: "must be a whole number of seconds from 900 to 43200")
      }
      settings.durationSeconds = value
    }
    if let n = m["policy"] { settings.policy = try string(n, path: "\(path).policy") }
    if let n = m["externalId"] { settings.externalId = try string(n, path: "\(path).externalId") }
    return settings
  }

  // MARK: - scalars

  func warn(_ message: String) {
    warnings.items.append("\(source): \(message)")
  }

  func describe(_ node: Node) -> String {
    if let line = node.mark?.line { return " (line \(line))" }
    return ""
  }

  func fields(_ m: Node.Mapping, path: String, known: Set<String>, depth: Int = 0) throws -> [String: Node] {
    var result: [String: Node] = [:]
    var merged: [Node] = []
    for (k, v) in m {
      guard let key = k.scalar?.string else {
        throw CertHookError.configuration(path: path, message: "keys must be plain strings\(describe(k))")
      }
      if key == "<<" {
        // YAML merge key: `<<: *anchor` or `<<: [*a, *b]`; explicit keys win.
        merged += v.sequence.map { Array($0) } ?? [v]
        continue
      }
      let full = path.isEmpty ? key : "\(path).\(key)"
      if !known.contains(key) {
        warn("unknown key \(full)\(describe(k)) ignored")
        continue
      }
      if result[key] != nil {
        throw CertHookError.configuration(path: full, message: "given twice\(describe(k))")
      }
      result[key] = v
    }
    guard depth < 8 else {
      throw CertHookError.configuration(path: path, message: "merge keys (<<) nested too deeply")
    }
    for source in merged {
      guard let mapping = source.mapping else {
        throw CertHookError.configuration(path: path, message: "`<<` must merge a mapping\(describe(source))")
      }
      for (key, value) in try fields(mapping, path: path, known: known, depth: depth + 1) where result[key] == nil {
        result[key] = value
      }
    }
    return result
  }

  /// Each item of `list` decoded at `path[i]`, refusing a name given twice (the error names `path[i].name`).
  func uniquelyNamed<T>(
    _ list: some Sequence<Node>, path: String, name: (T) -> String, duplicate: (String) -> String,
    _ decode: (Node, String) throws -> T
  ) throws -> [T] {
    var names = Set<String>()
    var result: [T] = []
    for (index, item) in list.enumerated() {
      let decoded = try decode(item, "\(path)[\(index)]")
      guard names.insert(name(decoded)).inserted else {
        throw CertHookError.configuration(path: "\(path)[\(index)].name", message: duplicate(name(decoded)))
      }
      result.append(decoded)
    }
    return result
  }

  /// A string that must be one of `names` (quoted back at most 40 characters of what was given).
  func oneOf<T>(_ node: Node, path: String, _ names: [String], as make: (String) -> T?) throws -> T {
    let text = try string(node, path: path)
    guard let value = make(text) else {
      throw CertHookError.configuration(
        path: path, message: "\"\(text.prefix(40))\" is not one of \(names.joined(separator: ", "))")
    }
    return value
  }

  func mapping(_ node: Node, path: String) throws -> Node.Mapping {
    guard let m = node.mapping else {
      throw CertHookError.configuration(path: path, message: "must be a mapping\(describe(node))")
    }
    return m
  }

  func string(_ node: Node, path: String) throws -> String {
    guard let s = node.scalar?.string else {
      throw CertHookError.configuration(path: path, message: "must be a string\(describe(node))")
    }
    return s
  }

  func url(_ node: Node, path: String) throws -> String {
    let s = try string(node, path: path)
    guard let u = URL(string: s), let scheme = u.scheme, scheme == "http" || scheme == "https", u.host != nil else {
      // Quote the value only when it looks like one mistyped URL: a multi-line or spaced value may be a pasted
      // block of the file (secrets included), and the key path already says where to look.
      let plausible = s.count <= 120 && !s.contains(where: { $0.isWhitespace || $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true })
      let shown = plausible ? "\"\(s)\"" : "the value (not shown: \(s.count) characters with spaces or line breaks)"
      throw CertHookError.configuration(path: path, message: "\(shown) is not an http(s) URL")
    }
    if let port = u.port, !(1...65535).contains(port) {
      throw CertHookError.configuration(path: path, message: "port \(port) is out of range (1 to 65535)")
    }
    return s
  }

  func inRange<T: Comparable>(_ value: T, _ range: ClosedRange<T>, path: String, unit: String = "") throws -> T {
    guard range.contains(value) else {
      throw CertHookError.configuration(
        path: path, message: "must be between \(range.lowerBound) and \(range.upperBound)\(unit), got \(value)")
    }
    return value
  }

  func int(_ node: Node, path: String) throws -> Int {
    guard node.scalar != nil, let v = node.int else {
      throw CertHookError.configuration(path: path, message: "must be an integer\(describe(node))")
    }
    return v
  }

  func double(_ node: Node, path: String) throws -> Double {
    guard let s = node.scalar?.string, let v = Double(s), !v.isNaN else {
      throw CertHookError.configuration(path: path, message: "must be a number\(describe(node))")
    }
    return v
  }

  func seconds(_ node: Node, path: String) throws -> Double {
    guard let s = node.scalar?.string else {
      throw CertHookError.configuration(
        path: path, message: "must be a duration such as 90 or 90s or 2m\(describe(node))")
    }
    var text = s.trimmingCharacters(in: .whitespaces)
    var factor = 1.0
    if text.hasSuffix("ms") {
      factor = 0.001
      text.removeLast(2)
    } else if text.hasSuffix("s") {
      text.removeLast()
    } else if text.hasSuffix("m") {
      factor = 60
      text.removeLast()
    }
    guard let v = Double(text), v > 0, !v.isNaN else {
      throw CertHookError.configuration(
        path: path, message: "\"\(s)\" is not a positive duration such as 90, 90s or 2m")
    }
    return v * factor
  }

  func bool(_ node: Node, path: String) throws -> Bool {
    guard node.scalar != nil, let v = node.bool else {
      throw CertHookError.configuration(path: path, message: "must be true or false\(describe(node))")
    }
    return v
  }

  func stringList(_ node: Node, path: String) throws -> [String] {
    if let s = node.scalar?.string {
      return s.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
    }
    guard let seq = node.sequence else {
      throw CertHookError.configuration(path: path, message: "must be a list of strings\(describe(node))")
    }
    return try seq.enumerated().map { try string($0.element, path: "\(path)[\($0.offset)]") }
  }
}
