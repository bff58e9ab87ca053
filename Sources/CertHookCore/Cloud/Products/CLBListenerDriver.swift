import AlibabaCloud
import CertificateKit
import Foundation

/// CLB HTTPS listeners (SLB 2014-05-15) in the engine's terms: a listener is `clb:<lb-…>:<port>`, its certificates
/// are the CAS identifiers of the SLB server certificates it references (its default one, and one per distinct
/// server certificate of its domain extensions).
///
/// Rules it keeps: associating a CAS certificate binds it, through the region's server certificate copied from it
/// (`CLBServerCertificates`), to every name it serves: a name that already has a domain extension is swapped in place
/// (`SetDomainExtensionAttribute`, never uncovered), a name without one gets `CreateDomainExtension`; new extensions
/// are created before any swap, and a refusal while creating them (the listener's extension quota) takes back what
/// the call created, so nothing is half done; dissociating deletes only the extensions bound to the named
/// certificates; the default certificate changes only through `replaceDefaultCertificate`. Every change is
/// synchronous: no job IDs. A `dryRun` write validates (listener, CAS certificate, names) and changes nothing.
public struct CLBListenerDriver: ListenerDriver {
  /// The SLB client (the listeners' region).
  public let slb: SLBClient
  /// The CAS client.
  public let cas: CASClient
  /// Poll interval while a listener is configuring.
  public let pollInterval: Duration
  /// The CAS ⇄ server-certificate mapping.
  public let certificates: CLBServerCertificates

  /// Creates a driver.
  public init(slb: SLBClient, cas: CASClient, pollInterval: Duration) {
    self.slb = slb
    self.cas = cas
    self.pollInterval = pollInterval
    self.certificates = CLBServerCertificates(slb: slb, cas: cas)
  }

  /// CLB.
  public var product: ListenerProduct { .clb }

  // MARK: - Reading

  /// `DescribeLoadBalancerAttribute` per load balancer: every listener by port and protocol (none when no load
  /// balancer is named: CLB instances are never listed account-wide).
  public func listListeners(loadBalancerKeys: [String]) async throws -> [CloudListener] {
    var seen = Set<String>()
    var result: [CloudListener] = []
    for key in loadBalancerKeys {
      let lbId = ListenerProduct.unqualified(key)
      guard !lbId.isEmpty, seen.insert(lbId).inserted else { continue }
      let lb = try await slb.describeLoadBalancer(loadBalancerId: lbId)
      result += lb.listeners.map { l in
        CloudListener(
          id: ListenerAddress.clb(loadBalancerId: lbId, port: l.port), loadBalancerId: product.qualified(lbId),
          listenerProtocol: l.protocol, port: l.port, status: Self.status(ofLoadBalancer: lb.status))
      }
    }
    return result
  }

  /// `DescribeLoadBalancerHTTPSListenerAttribute`: status and default certificate; a port whose listener is not
  /// HTTPS is reported with its protocol (from `DescribeLoadBalancerAttribute`), so the engine skips it by name.
  public func getListener(_ address: ListenerAddress) async throws -> CloudListener {
    let (lbId, port) = try Self.parts(address)
    let listener: CLBHTTPSListener
    do {
      listener = try await slb.describeHTTPSListener(loadBalancerId: lbId, port: port)
    } catch let error as AlibabaCloudError where error.kind == .api {
      let lb = try? await slb.describeLoadBalancer(loadBalancerId: lbId)
      guard let other = lb?.listeners.first(where: { $0.port == port && $0.protocol != "HTTPS" }) else { throw error }
      return CloudListener(
        id: address.key, loadBalancerId: product.qualified(lbId), listenerProtocol: other.protocol, port: port,
        status: Self.status(ofLoadBalancer: lb?.status ?? ""))
    }
    var defaultId: String?
    if let serverId = listener.serverCertificateId {
      let servers = try await certificates.regionServerCertificates()
      defaultId = try await certificates.identifier(ofServerCertificate: serverId, in: servers)
    }
    return CloudListener(
      id: address.key, loadBalancerId: product.qualified(lbId), listenerProtocol: "HTTPS", port: port,
      status: Self.status(ofListener: listener.status), defaultCertificateId: defaultId)
  }

  /// The default server certificate (`isDefault`) and each distinct server certificate of the domain extensions,
  /// by their engine identifiers, all `Associated` (CLB changes are synchronous).
  public func listListenerCertificates(_ address: ListenerAddress) async throws -> [CloudListenerCertificate] {
    let (lbId, port) = try Self.parts(address)
    let listener = try await slb.describeHTTPSListener(loadBalancerId: lbId, port: port)
    let referenced =
      [listener.serverCertificateId].compactMap { $0 } + listener.domainExtensions.map(\.serverCertificateId)
    guard !referenced.isEmpty else { return [] }
    let servers = try await certificates.regionServerCertificates()
    var result: [CloudListenerCertificate] = []
    if let serverId = listener.serverCertificateId {
      let id = try await certificates.identifier(ofServerCertificate: serverId, in: servers)
      result.append(CloudListenerCertificate(certificateId: id, isDefault: true, status: "Associated"))
    }
    var listed = Set<String>()
    for ext in listener.domainExtensions {
      let id = try await certificates.identifier(ofServerCertificate: ext.serverCertificateId, in: servers)
      if listed.insert(id).inserted {
        result.append(CloudListenerCertificate(certificateId: id, isDefault: false, status: "Associated"))
      }
    }
    return result
  }

  // MARK: - Writing

  /// Binds each certificate to every name it serves (see the type's rules); returns no job.
  public func associateCertificates(
    _ address: ListenerAddress, certificateIds: [String], clientToken: String, dryRun: Bool
  ) async throws -> [String] {
    let (lbId, port) = try Self.parts(address)
    for identifier in certificateIds {
      let servers = try await certificates.regionServerCertificates()
      let target = try await certificates.resolve(identifier, servers: servers)
      let listener = try await slb.describeHTTPSListener(loadBalancerId: lbId, port: port)
      let binding = CLBDomainBinding(listener: listener, target: target)
      if dryRun || binding.isEmpty { continue }
      let server = try await certificates.serverCertificate(for: target)
      do {
        try await binding.apply(serverCertificateId: server.id, created: server.created, slb: slb, key: address.key)
      } catch {
        if server.created { await certificates.forgetCreated(server.id) }  // apply took it back
        throw error
      }
    }
    return []
  }

  /// Deletes the domain extensions bound to the named certificates (the default certificate is never touched);
  /// returns no job. An extension whose domain another server certificate bound on the listener also serves (a
  /// renewal a killed run left half-swapped) is handed over to it in place instead (`SetDomainExtensionAttribute`),
  /// so retiring never uncovers a name.
  public func dissociateCertificates(
    _ address: ListenerAddress, certificateIds: [String], clientToken: String, dryRun: Bool
  ) async throws -> [String] {
    let (lbId, port) = try Self.parts(address)
    let listener = try await slb.describeHTTPSListener(loadBalancerId: lbId, port: port)
    guard !listener.domainExtensions.isEmpty, !certificateIds.isEmpty else { return [] }
    let servers = try await certificates.regionServerCertificates()
    let doomed = listener.domainExtensions.filter { ext in
      guard let server = servers[ext.serverCertificateId] else {
        return certificateIds.contains(CLBServerCertificates.foreignPrefix + ext.serverCertificateId)
      }
      return certificateIds.contains { CLBServerCertificates.serves(server, $0) }
    }
    guard !dryRun else { return [] }
    let doomedIds = Set(doomed.map(\.id))
    var heirs: [String] = []
    for ext in listener.domainExtensions where !doomedIds.contains(ext.id) && !heirs.contains(ext.serverCertificateId) {
      heirs.append(ext.serverCertificateId)
    }
    for ext in doomed {
      let heir = heirs.first { id in
        guard let server = servers[id] else { return false }
        let names = CLBServerCertificates.names(server.subjectAlternativeNames, commonName: server.commonName)
        return HostnameMatcher.isCovered(ext.domain, by: names)
      }
      if let heir {
        try await slb.setDomainExtensionCertificate(domainExtensionId: ext.id, serverCertificateId: heir)
      } else {
        try await slb.deleteDomainExtension(domainExtensionId: ext.id)
      }
    }
    return []
  }

  /// `SetLoadBalancerHTTPSListenerAttribute` with the server certificate of `certificateId` (found or created);
  /// a dry run that would need a new server certificate validates locally and sends nothing.
  public func replaceDefaultCertificate(
    _ address: ListenerAddress, certificateId: String, clientToken: String, dryRun: Bool
  ) async throws -> String? {
    let (lbId, port) = try Self.parts(address)
    let servers = try await certificates.regionServerCertificates()
    let target = try await certificates.resolve(certificateId, servers: servers)
    if dryRun {
      guard let existing = target.serverCertificateIds.first else {
        _ = try await slb.describeHTTPSListener(loadBalancerId: lbId, port: port)
        return nil
      }
      try await slb.setHTTPSListenerServerCertificate(
        loadBalancerId: lbId, port: port, serverCertificateId: existing, dryRun: true)
      return nil
    }
    let server = try await certificates.serverCertificate(for: target)
    try await slb.setHTTPSListenerServerCertificate(loadBalancerId: lbId, port: port, serverCertificateId: server.id)
    return nil
  }

  /// CLB returns no jobs: nothing to wait for.
  public func waitForJob(_ jobId: String, timeout: Double) async throws {}

  /// Polls `DescribeLoadBalancerHTTPSListenerAttribute` until the listener takes changes (`running` or `stopped`).
  public func waitForListenerRunning(_ address: ListenerAddress, timeout: Double) async throws {
    let (lbId, port) = try Self.parts(address)
    let runtime = slb.rpc.configuration.runtime
    let deadline = runtime.now().addingTimeInterval(max(0, timeout))
    while true {
      let status = try await slb.describeHTTPSListener(loadBalancerId: lbId, port: port).status
      if Self.status(ofListener: status) != "Configuring" { return }
      guard runtime.now() < deadline else {
        throw CertHookError.timeout("\(address.key): still \(status) after \(timeout) s")
      }
      try await runtime.sleep(pollInterval)
    }
  }

  // MARK: - Helpers

  /// The listener's status in ALB's words: `running` → `Running`, `stopped` → `Stopped`, `starting` and
  /// `configuring` → `Configuring`.
  public static func status(ofListener status: String) -> String {
    switch status.lowercased() {
    case "running": return "Running"
    case "stopped": return "Stopped"
    case "starting", "configuring": return "Configuring"
    default: return status
    }
  }

  /// A listener's status from its load balancer's (`DescribeLoadBalancerAttribute` reports no listener status):
  /// `active` → `Running`, `inactive` and `locked` → `Stopped`.
  static func status(ofLoadBalancer status: String) -> String {
    switch status.lowercased() {
    case "active", "": return "Running"
    case "inactive", "locked": return "Stopped"
    default: return status
    }
  }

  static func parts(_ address: ListenerAddress) throws -> (String, Int) {
    guard address.product == .clb, let lbId = address.loadBalancerId, let port = address.port else {
      throw CertHookError.invalidArgument("listener \"\(address.key)\" is not a CLB listener (clb:<lb>:<port>)")
    }
    return (lbId, port)
  }
}
