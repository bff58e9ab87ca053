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
        "state_path", "state", "quotas", "deployments",
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
    if let node = map["region"] { config.region = try string(node, path: "region") }
    if let node = map["credentials"] { config.credentials = try credentials(node, path: "credentials") }
    if let node = map["endpoints"] {
      let m = try fields(try mapping(node, path: "endpoints"), path: "endpoints", known: ["alb", "cas"])
      if let n = m["alb"] { config.endpoints.alb = try url(n, path: "endpoints.alb") }
      if let n = m["cas"] { config.endpoints.cas = try url(n, path: "endpoints.cas") }
    }
    if let node = map["rateLimits"] ?? map["rate_limits"] {
      let m = try fields(
        try mapping(node, path: "rateLimits"), path: "rateLimits", known: ["concurrency", "writesPerSecond"])
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
    guard let deploymentsNode = map["deployments"] else {
      throw CertHookError.configuration(path: "deployments", message: "missing; list at least one deployment")
    }
    guard let list = deploymentsNode.sequence else {
      throw CertHookError.configuration(path: "deployments", message: "must be a list of deployments")
    }
    var names = Set<String>()
    for (index, item) in list.enumerated() {
      let deployment = try self.deployment(item, path: "deployments[\(index)]")
      guard names.insert(deployment.name).inserted else {
        throw CertHookError.configuration(
          path: "deployments[\(index)].name", message: "duplicate deployment name \"\(deployment.name)\"")
      }
      config.deployments.append(deployment)
    }
    return (config, warnings.items)
  }

  // MARK: - sections

  private func credentials(_ node: Node, path: String) throws -> CredentialSettings {
    if let s = node.scalar?.string {
      switch s {
      case "environment", "env": return CredentialSettings(environment: true)
      default: return CredentialSettings(profile: s)
      }
    }
    let m = try fields(
      try mapping(node, path: path), path: path,
      known: [
        "profile", "environment", "accessKeyId", "accessKeySecret",
      ])
    var settings = CredentialSettings()
    if let n = m["profile"] { settings.profile = try string(n, path: "\(path).profile") }
    if let n = m["environment"] { settings.environment = try bool(n, path: "\(path).environment") }
    if let n = m["accessKeyId"] { settings.accessKeyId = try string(n, path: "\(path).accessKeyId") }
    if let n = m["accessKeySecret"] { settings.accessKeySecret = try string(n, path: "\(path).accessKeySecret") }
    if (settings.accessKeyId == nil) != (settings.accessKeySecret == nil) {
      throw CertHookError.configuration(path: path, message: "accessKeyId and accessKeySecret go together")
    }
    return settings
  }

  private func deployment(_ node: Node, path: String) throws -> Deployment {
    let m = try fields(
      try mapping(node, path: path), path: path,
      known: [
        "name", "source", "domains", "targets", "mode", "replace", "verify", "resolve", "portOffset",
        "verifyTimeout",
      ])
    guard let nameNode = m["name"] else {
      throw CertHookError.configuration(path: "\(path).name", message: "missing; every deployment needs a name")
    }
    let name = try string(nameNode, path: "\(path).name")
    var source: CertificateSource?
    if let n = m["source"] { source = try self.source(n, path: "\(path).source") }
    var domains: [String] = []
    if let n = m["domains"] {
      domains = try stringList(n, path: "\(path).domains").map { $0.lowercased() }
    }
    if domains.isEmpty, source == nil || source == .domainMatch {
      throw CertHookError.configuration(
        path: "\(path).domains", message: "missing; a deployment without a source matches certificates by its domains")
    }
    guard let targetsNode = m["targets"] else {
      throw CertHookError.configuration(path: "\(path).targets", message: "missing; list listeners or load balancers")
    }
    guard let targetList = targetsNode.sequence, targetList.count > 0 else {
      throw CertHookError.configuration(path: "\(path).targets", message: "must be a non-empty list")
    }
    var targets: [DeploymentTarget] = []
    for (i, t) in targetList.enumerated() {
      targets.append(try target(t, path: "\(path).targets[\(i)]"))
    }
    var mode = DeploymentMode.additional
    if let n = m["mode"] {
      let s = try string(n, path: "\(path).mode")
      guard let parsed = DeploymentMode(rawValue: s) else {
        throw CertHookError.configuration(path: "\(path).mode", message: "\"\(s)\" is not one of additional, default")
      }
      mode = parsed
    }
    var replace = ReplacePolicy.covered
    if let n = m["replace"] {
      let s = try string(n, path: "\(path).replace")
      guard let parsed = ReplacePolicy(rawValue: s) else {
        throw CertHookError.configuration(path: "\(path).replace", message: "\"\(s)\" is not one of covered, none")
      }
      replace = parsed
    }
    let verify = try servingVerification(m, path: path)
    return Deployment(
      name: name, source: source, domains: domains, targets: targets, mode: mode, replace: replace, verify: verify)
  }

  /// `verify: tls` with optional `resolve:` (HOST:ADDRESS list), `portOffset:` and `verifyTimeout:` (seconds).
  private func servingVerification(_ m: [String: Node], path: String) throws -> ServingVerification? {
    guard let n = m["verify"] else {
      for key in ["resolve", "portOffset", "verifyTimeout"] where m[key] != nil {
        throw CertHookError.configuration(path: "\(path).\(key)", message: "only applies with `verify: tls`")
      }
      return nil
    }
    let mode = try string(n, path: "\(path).verify")
    guard mode == "tls" else {
      throw CertHookError.configuration(path: "\(path).verify", message: "\"\(mode)\" is not a check; use tls")
    }
    var setting = ServingVerification()
    if let r = m["resolve"] {
      setting.resolve = try stringList(r, path: "\(path).resolve")
      do { _ = try ProbeResolution.parse(setting.resolve, portOffset: 0) } catch {
        throw CertHookError.configuration(path: "\(path).resolve", message: "\(error)")
      }
    }
    if let o = m["portOffset"] {
      setting.portOffset = try int(o, path: "\(path).portOffset")
      guard (-65535...65535).contains(setting.portOffset) else {
        throw CertHookError.configuration(path: "\(path).portOffset", message: "must be between -65535 and 65535")
      }
    }
    if let t = m["verifyTimeout"] {
      setting.timeout = try seconds(t, path: "\(path).verifyTimeout")
      guard setting.timeout > 0, setting.timeout <= 3600 else {
        throw CertHookError.configuration(path: "\(path).verifyTimeout", message: "must be between 0 and 3600 seconds")
      }
    }
    return setting
  }

  private func source(_ node: Node, path: String) throws -> CertificateSource {
    if let s = node.scalar?.string {
      guard s == "domainMatch" || s == "domain-match" else {
        throw CertHookError.configuration(
          path: path,
          message: "\"\(s)\" is not a source; use certbotLineage, acmeShDomain, cert/key/chain or domainMatch")
      }
      return .domainMatch
    }
    let m = try fields(
      try mapping(node, path: path), path: path,
      known: [
        "certbotLineage", "acmeShDomain", "home", "cert", "key", "chain", "domainMatch",
      ])
    if let n = m["certbotLineage"] { return .certbotLineage(try string(n, path: "\(path).certbotLineage")) }
    if let n = m["acmeShDomain"] {
      let home = try m["home"].map { try string($0, path: "\(path).home") }
      return .acmeShDomain(try string(n, path: "\(path).acmeShDomain"), home: home)
    }
    if let c = m["cert"] {
      guard let k = m["key"] else {
        throw CertHookError.configuration(path: "\(path).key", message: "missing; `cert` needs a `key`")
      }
      let chain = try m["chain"].map { try string($0, path: "\(path).chain") }
      return .files(
        certificate: try string(c, path: "\(path).cert"), key: try string(k, path: "\(path).key"), chain: chain)
    }
    if m["domainMatch"] != nil { return .domainMatch }
    throw CertHookError.configuration(
      path: path, message: "names no source; use certbotLineage, acmeShDomain, cert/key/chain or domainMatch")
  }

  private func target(_ node: Node, path: String) throws -> DeploymentTarget {
    if let s = node.scalar?.string {
      if s.hasPrefix("lsr-") { return .listener(s) }
      if s.hasPrefix("alb-") { return .loadBalancer(s, protocols: nil, ports: nil) }
      throw CertHookError.configuration(
        path: path, message: "\"\(s)\" is ambiguous; write `listener: ID` or `loadBalancer: ID`")
    }
    let m = try fields(
      try mapping(node, path: path), path: path,
      known: [
        "listener", "listenerId", "loadBalancer", "loadBalancerId", "protocols", "ports",
      ])
    if let n = m["listener"] ?? m["listenerId"] {
      let key = m["listener"] != nil ? "listener" : "listenerId"
      let id = try string(n, path: "\(path).\(key)")
      guard !id.isEmpty else { throw CertHookError.configuration(path: "\(path).\(key)", message: "must not be empty") }
      if m["protocols"] != nil || m["ports"] != nil {
        warn("\(path): protocols/ports filter only load balancer targets; ignored for a listener")
      }
      return .listener(id)
    }
    if let n = m["loadBalancer"] ?? m["loadBalancerId"] {
      let key = m["loadBalancer"] != nil ? "loadBalancer" : "loadBalancerId"
      let id = try string(n, path: "\(path).\(key)")
      guard !id.isEmpty else { throw CertHookError.configuration(path: "\(path).\(key)", message: "must not be empty") }
      var protocols: [String]?
      if let p = m["protocols"] {
        let list = try stringList(p, path: "\(path).protocols").map { $0.uppercased() }
        for (i, proto) in list.enumerated() where proto != "HTTPS" && proto != "QUIC" {
          throw CertHookError.configuration(
            path: "\(path).protocols[\(i)]", message: "\"\(proto)\" is not HTTPS or QUIC")
        }
        protocols = list
      }
      var ports: [Int]?
      if let p = m["ports"] {
        guard let seq = p.sequence else {
          ports = [try inRange(try int(p, path: "\(path).ports"), 1...65535, path: "\(path).ports")]
          return .loadBalancer(id, protocols: protocols, ports: ports)
        }
        ports = try seq.enumerated().map {
          try inRange(try int($0.element, path: "\(path).ports[\($0.offset)]"), 1...65535, path: "\(path).ports[\($0.offset)]")
        }
      }
      return .loadBalancer(id, protocols: protocols, ports: ports)
    }
    throw CertHookError.configuration(
      path: path, message: "names no target; write `listener: ID` or `loadBalancer: ID`")
  }

  // MARK: - scalars

  private func warn(_ message: String) {
    warnings.items.append("\(source): \(message)")
  }

  private func describe(_ node: Node) -> String {
    if let line = node.mark?.line { return " (line \(line))" }
    return ""
  }

  private func fields(_ m: Node.Mapping, path: String, known: Set<String>, depth: Int = 0) throws -> [String: Node] {
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

  private func mapping(_ node: Node, path: String) throws -> Node.Mapping {
    guard let m = node.mapping else {
      throw CertHookError.configuration(path: path, message: "must be a mapping\(describe(node))")
    }
    return m
  }

  private func string(_ node: Node, path: String) throws -> String {
    guard let s = node.scalar?.string else {
      throw CertHookError.configuration(path: path, message: "must be a string\(describe(node))")
    }
    return s
  }

  private func url(_ node: Node, path: String) throws -> String {
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

  private func inRange<T: Comparable>(_ value: T, _ range: ClosedRange<T>, path: String, unit: String = "") throws -> T {
    guard range.contains(value) else {
      throw CertHookError.configuration(
        path: path, message: "must be between \(range.lowerBound) and \(range.upperBound)\(unit), got \(value)")
    }
    return value
  }

  private func int(_ node: Node, path: String) throws -> Int {
    guard node.scalar != nil, let v = node.int else {
      throw CertHookError.configuration(path: path, message: "must be an integer\(describe(node))")
    }
    return v
  }

  private func double(_ node: Node, path: String) throws -> Double {
    guard let s = node.scalar?.string, let v = Double(s), !v.isNaN else {
      throw CertHookError.configuration(path: path, message: "must be a number\(describe(node))")
    }
    return v
  }

  private func seconds(_ node: Node, path: String) throws -> Double {
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

  private func bool(_ node: Node, path: String) throws -> Bool {
    guard node.scalar != nil, let v = node.bool else {
      throw CertHookError.configuration(path: path, message: "must be true or false\(describe(node))")
    }
    return v
  }

  private func stringList(_ node: Node, path: String) throws -> [String] {
    if let s = node.scalar?.string {
      return s.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
    }
    guard let seq = node.sequence else {
      throw CertHookError.configuration(path: path, message: "must be a list of strings\(describe(node))")
    }
    return try seq.enumerated().map { try string($0.element, path: "\(path)[\($0.offset)]") }
  }
}
