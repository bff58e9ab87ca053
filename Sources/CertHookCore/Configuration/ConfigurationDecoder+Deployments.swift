import Foundation
import Yams

/// `deployments[]`: each deployment, its certificate source, its targets and its `verify: tls` settings, with
/// errors naming the key path (`deployments[1].targets[0].listener`).
extension ConfigurationDecoder {
  func deployment(_ node: Node, path: String) throws -> Deployment {
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
    var placements: [TargetPlacement] = []
    for (i, t) in targetList.enumerated() {
      let targetPath = "\(path).targets[\(i)]"
      let (target, placement) = try placedTarget(t, path: targetPath)
      targets.append(target)
      placements.append(placement)
    }
    let mode = try m["mode"].map {
      try oneOf($0, path: "\(path).mode", ["additional", "default"], as: DeploymentMode.init(rawValue:))
    } ?? .additional
    let replace = try m["replace"].map {
      try oneOf($0, path: "\(path).replace", ["covered", "none"], as: ReplacePolicy.init(rawValue:))
    } ?? .covered
    let verify = try servingVerification(m, path: path)
    var deployment = Deployment(
      name: name, source: source, domains: domains, targets: targets, mode: mode, replace: replace, verify: verify)
    if placements.contains(where: { $0 != .standard }) { deployment.placements = placements }
    return deployment
  }

  /// `verify: tls` with optional `resolve:` (HOST:ADDRESS list), `portOffset:` and `verifyTimeout:` (seconds).
  func servingVerification(_ m: [String: Node], path: String) throws -> ServingVerification? {
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

  func source(_ node: Node, path: String) throws -> CertificateSource {
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

  /// The keys of a target written as a mapping.
  static let targetKeys: Set<String> = [
    "listener", "listenerId", "loadBalancer", "loadBalancerId", "protocols", "ports", "account", "region",
  ]

  /// A target and its placement (`account:`, `region:`; the default one for a target written as a plain ID).
  func placedTarget(_ node: Node, path: String) throws -> (DeploymentTarget, TargetPlacement) {
    if let s = node.scalar?.string {
      if s.hasPrefix("lsr-") { return (.listener(s), .standard) }
      if s.hasPrefix("alb-") { return (.loadBalancer(s, protocols: nil, ports: nil), .standard) }
      throw CertHookError.configuration(
        path: path, message: "\"\(s)\" is ambiguous; write `listener: ID` or `loadBalancer: ID`")
    }
    let m = try fields(try mapping(node, path: path), path: path, known: Self.targetKeys)
    return (try target(m, path: path), try placement(m, path: path))
  }

  func target(_ m: [String: Node], path: String) throws -> DeploymentTarget {
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
}
