import AlibabaCloud
import Foundation

/// The pure half of `GAListenerDriver`: GA's per-domain model in the engine's per-certificate terms.
extension GAListenerDriver {
  /// What binding a set of names takes on a listener: domains to bind, and bound domains to swap in place.
  public struct BindingChange: Equatable, Sendable {
    /// Names no certificate is bound to yet.
    public var binds: [GAClient.Binding]
    /// Names bound to another certificate: swapped in place.
    public var swaps: [GAClient.Binding]
  }

  /// The binds and swaps that leave each wanted name bound to its certificate (the first certificate naming a
  /// domain wins; a name already bound to its certificate needs nothing). Domains compare without case.
  public static func bindingChange(wanted: [GAClient.Binding], bound: [GAListenerCertificate]) -> BindingChange {
    var current: [String: GAListenerCertificate] = [:]
    for b in bound where !b.isDefault {
      if let domain = b.domain { current[domain.lowercased()] = b }
    }
    var change = BindingChange(binds: [], swaps: [])
    var seen: Set<String> = []
    for binding in wanted where seen.insert(binding.domain.lowercased()).inserted {
      guard let existing = current[binding.domain.lowercased()] else {
        change.binds.append(binding)
        continue
      }
      if existing.certificateId != binding.certificateId {
        // Swap the domain as the listener spells it.
        change.swaps.append(
          GAClient.Binding(domain: existing.domain ?? binding.domain, certificateId: binding.certificateId))
      }
    }
    return change
  }

  /// The domains bound to any of `certificateIds` (each once, in listing order).
  public static func domains(boundTo certificateIds: Set<String>, in bound: [GAListenerCertificate]) -> [String] {
    var seen: Set<String> = []
    return bound.filter { !$0.isDefault && certificateIds.contains($0.certificateId) }.compactMap(\.domain).filter {
      seen.insert($0.lowercased()).inserted
    }
  }

  /// One engine entry per certificate: default flagged; `Associated` when every binding of it is `active`,
  /// `Associating` while one is `updating`.
  public static func certificates(_ listed: [GAListenerCertificate]) -> [CloudListenerCertificate] {
    var order: [String] = []
    var byId: [String: CloudListenerCertificate] = [:]
    for c in listed where !c.certificateId.isEmpty {
      let status = c.isActive ? "Associated" : "Associating"
      guard var entry = byId[c.certificateId] else {
        order.append(c.certificateId)
        byId[c.certificateId] = CloudListenerCertificate(
          certificateId: c.certificateId, isDefault: c.isDefault, status: status)
        continue
      }
      entry.isDefault = entry.isDefault || c.isDefault
      if !c.isActive { entry.status = status }
      byId[c.certificateId] = entry
    }
    return order.compactMap { byId[$0] }
  }

  /// The engine's listener: keys `ga:<accelerator>/<listener>` and `ga:<accelerator>`, GA states in ALB's words.
  static func listener(_ l: GAListener) -> CloudListener {
    CloudListener(
      id: ListenerAddress.ga(acceleratorId: l.acceleratorId, listenerId: l.id),
      loadBalancerId: ListenerProduct.ga.qualified(l.acceleratorId), listenerProtocol: l.protocol.uppercased(),
      port: l.port, status: status(l.state), defaultCertificateId: l.defaultCertificateId)
  }

  /// `active` is `Running`, `deleting` is `Deleting`; `init`, `updating`, `configuring` (and anything else) are
  /// `Configuring`: the listener does not take a change now.
  public static func status(_ state: String) -> String {
    switch state.lowercased() {
    case "active": return "Running"
    case "deleting": return "Deleting"
    default: return "Configuring"
    }
  }

  /// DNS names only (a GA domain is never an IP address), each once.
  static func domainNames(_ names: [String]) -> [String] {
    var seen: Set<String> = []
    return names.filter { name in
      let isIP = name.contains(":") || name.allSatisfy { $0.isNumber || $0 == "." }
      return !isIP && seen.insert(name).inserted
    }
  }

  /// The ClientToken of one of the calls a change makes: derived from the change's token and the call, at most 64
  /// ASCII characters, so a resent change repeats each call's token and different calls never share one.
  static func callToken(_ token: String, _ call: String) -> String {
    let digest = Hashing.sha256Hex(Array("\(token)#\(call)".utf8))
    return "\(token.prefix(40))-\(digest.prefix(20))"
  }

  /// The job ID of a write on `address`: the listener, whose (and whose accelerator's) `active` state ends it.
  static func job(_ address: ListenerAddress) -> String {
    ListenerProduct.unqualified(address.key)
  }

  /// The accelerator a GA key names.
  static func accelerator(_ address: ListenerAddress) throws -> String {
    guard let accelerator = address.loadBalancerId, address.product == .ga else {
      throw CertHookError.invalidArgument("\(address.key) is not a Global Accelerator listener key")
    }
    return accelerator
  }
}
