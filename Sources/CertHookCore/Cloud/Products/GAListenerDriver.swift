import AlibabaCloud
import CertificateKit
import Foundation

/// Global Accelerator HTTPS listeners through `GAClient` (more-products spec section 2), whose additional
/// certificates are bound one per DOMAIN; listener keys are `ga:<accelerator>/<listener>`, accelerator keys
/// `ga:<ga-…>`.
///
/// Rules it keeps: associating a certificate binds each of its names (read from CAS); a name already bound on the
/// listener is swapped in place (`UpdateAdditionalCertificateWithListener`, so it is never uncovered) and only
/// unbound names are bound (`AssociateAdditionalCertificatesWithListener`), the binds first, so a refusal (quota)
/// leaves the listener as it was; dissociating unbinds only the domains still bound to the named certificates.
/// GA writes return no job: after each write the driver (or `waitForJob`, given the job ID `<accelerator>/<listener>`)
/// waits until listener and accelerator are `active` again, since the accelerator's exclusive lock serializes them.
/// GA has DryRun only for the in-place swap: other dry-run writes validate by reading and change nothing.
public struct GAListenerDriver: ListenerDriver {
  /// The GA client.
  public let ga: GAClient
  /// The CAS client (the names of the certificates to bind).
  public let cas: CASClient
  /// Poll interval for listener and accelerator states.
  public let pollInterval: Duration
  /// When to look at a locked accelerator again, learned from how long this run's waits took.
  let pacer = JobPollPacer()

  /// Longest wait, in seconds, for the accelerator between the writes of one change (Terraform waits 3 minutes;
  /// the executor's job timeout applies to the wait after the last write).
  public static let betweenWritesTimeout: Double = 300

  /// Creates a driver.
  public init(ga: GAClient, cas: CASClient, pollInterval: Duration) {
    self.ga = ga
    self.cas = cas
    self.pollInterval = pollInterval
  }

  /// Global Accelerator.
  public var product: ListenerProduct { .ga }

  /// `ListListeners` of each accelerator (every GA listener of the account when empty).
  public func listListeners(loadBalancerKeys: [String]) async throws -> [CloudListener] {
    guard !loadBalancerKeys.isEmpty else { return try await ga.listListeners().map(Self.listener) }
    var result: [CloudListener] = []
    var seen: Set<String> = []
    for accelerator in loadBalancerKeys.map(ListenerProduct.unqualified) where seen.insert(accelerator).inserted {
      result += try await ga.listListeners(acceleratorId: accelerator).map(Self.listener)
    }
    return result
  }

  /// `DescribeListener`: state and default certificate; a listener of another accelerator is not this key's.
  public func getListener(_ address: ListenerAddress) async throws -> CloudListener {
    let accelerator = try Self.accelerator(address)
    let l = try await ga.describeListener(listenerId: address.listenerId)
    guard l.acceleratorId.isEmpty || l.acceleratorId == accelerator else {
      throw CertHookError.cloud(
        code: "NotExist.Listener",
        message:
          "listener \(address.listenerId) belongs to accelerator \(l.acceleratorId), not \(accelerator) (\(address.key))"
      )
    }
    return Self.listener(l)
  }

  /// `ListListenerCertificates`: one entry per certificate (however many domains it is bound to).
  public func listListenerCertificates(_ address: ListenerAddress) async throws -> [CloudListenerCertificate] {
    Self.certificates(
      try await ga.listListenerCertificates(
        acceleratorId: try Self.accelerator(address), listenerId: address.listenerId))
  }

  /// Binds every name of the certificates: unbound names in one `AssociateAdditionalCertificatesWithListener`
  /// (split by 10), then each bound one swapped in place; returns the listener as the job to wait for.
  public func associateCertificates(
    _ address: ListenerAddress, certificateIds: [String], clientToken: String, dryRun: Bool
  ) async throws -> [String] {
    let accelerator = try Self.accelerator(address)
    var wanted: [GAClient.Binding] = []
    for id in certificateIds {
      wanted += try await names(of: id).map { GAClient.Binding(domain: $0, certificateId: id) }
    }
    let bound = try await ga.listListenerCertificates(
      acceleratorId: accelerator, listenerId: address.listenerId, role: .additional)
    let change = Self.bindingChange(wanted: wanted, bound: bound)
    if dryRun {
      try await requireHTTPS(address)
      for swap in change.swaps {
        try await ga.updateAdditionalCertificate(
          acceleratorId: accelerator, listenerId: address.listenerId, domain: swap.domain,
          certificateId: swap.certificateId, clientToken: Self.callToken(clientToken, "swap-dry:" + swap.domain),
          dryRun: true)
      }
      return []
    }
    var wrote = false
    if !change.binds.isEmpty {
      try await ga.associateAdditionalCertificates(
        acceleratorId: accelerator, listenerId: address.listenerId, bindings: change.binds,
        clientToken: Self.callToken(clientToken, "bind"))
      wrote = true
    }
    for swap in change.swaps {
      if wrote { try await waitUntilActive(address, timeout: Self.betweenWritesTimeout) }
      try await ga.updateAdditionalCertificate(
        acceleratorId: accelerator, listenerId: address.listenerId, domain: swap.domain,
        certificateId: swap.certificateId, clientToken: Self.callToken(clientToken, "swap:" + swap.domain))
      wrote = true
    }
    return wrote ? [Self.job(address)] : []
  }

  /// Unbinds the domains still bound to the certificates (`DissociateAdditionalCertificatesFromListener`); none
  /// bound: nothing to do. A domain that another certificate bound on the listener also serves (a renewal a killed
  /// run left half-swapped: the successor bound to some names, the predecessor still to others) is handed over to
  /// it in place instead (`UpdateAdditionalCertificateWithListener`), so retiring never uncovers a name.
  public func dissociateCertificates(
    _ address: ListenerAddress, certificateIds: [String], clientToken: String, dryRun: Bool
  ) async throws -> [String] {
    let accelerator = try Self.accelerator(address)
    let bound = try await ga.listListenerCertificates(
      acceleratorId: accelerator, listenerId: address.listenerId, role: .additional)
    let retiring = Set(certificateIds)
    let domains = Self.domains(boundTo: retiring, in: bound)
    guard !domains.isEmpty, !dryRun else { return [] }
    var heirs: [String: [String]] = [:]
    for other in bound where !other.isDefault && !retiring.contains(other.certificateId) && heirs[other.certificateId] == nil {
      heirs[other.certificateId] = (try? await names(of: other.certificateId)) ?? []
    }
    let order = bound.map(\.certificateId).filter { heirs[$0] != nil }
    var wrote = false
    var unbind: [String] = []
    for domain in domains {
      guard let heir = order.first(where: { HostnameMatcher.isCovered(domain, by: heirs[$0] ?? []) }) else {
        unbind.append(domain)
        continue
      }
      if wrote { try await waitUntilActive(address, timeout: Self.betweenWritesTimeout) }
      try await ga.updateAdditionalCertificate(
        acceleratorId: accelerator, listenerId: address.listenerId, domain: domain, certificateId: heir,
        clientToken: Self.callToken(clientToken, "handover:" + domain))
      wrote = true
    }
    if !unbind.isEmpty {
      if wrote { try await waitUntilActive(address, timeout: Self.betweenWritesTimeout) }
      try await ga.dissociateAdditionalCertificates(
        acceleratorId: accelerator, listenerId: address.listenerId, domains: unbind, clientToken: clientToken)
    }
    return [Self.job(address)]
  }

  /// `UpdateListener` with the new default certificate; a dry run checks the listener and the certificate only.
  public func replaceDefaultCertificate(
    _ address: ListenerAddress, certificateId: String, clientToken: String, dryRun: Bool
  ) async throws -> String? {
    _ = try Self.accelerator(address)
    if dryRun {
      try await requireHTTPS(address)
      _ = try await names(of: certificateId)
      return nil
    }
    try await ga.updateListenerDefaultCertificate(
      listenerId: address.listenerId, certificateId: certificateId, clientToken: clientToken)
    return Self.job(address)
  }

  /// The job `<accelerator>/<listener>`: waits until listener and accelerator are `active`.
  public func waitForJob(_ jobId: String, timeout: Double) async throws {
    try await waitUntilActive(try ListenerAddress(key: ListenerProduct.ga.qualified(jobId)), timeout: timeout)
  }

  /// Waits until listener and accelerator are `active` (the accelerator's lock is free again).
  public func waitForListenerRunning(_ address: ListenerAddress, timeout: Double) async throws {
    try await waitUntilActive(address, timeout: timeout)
  }

  // MARK: - helpers

  /// Waits until the change just sent is applied: first when this run's changes have tended to be (a fixed
  /// interval would cost a whole interval per change, and an accelerator takes its changes one at a time), then
  /// at half that pace. What the wait took is learnt for the next one: the whole wait when the first look found
  /// the accelerator still busy, a fifth less than the first wait when it was already free (GA's answers carry no
  /// timestamps, so the pace is found by trying shorter waits until one is too short).
  private func waitUntilActive(_ address: ListenerAddress, timeout: Double) async throws {
    let runtime = ga.rpc.configuration.runtime
    let started = runtime.now()
    let waits = await pacer.waits(interval: pollInterval)
    try await runtime.sleep(waits.first)
    let looked = runtime.now()
    try await ga.waitUntilActive(
      acceleratorId: try Self.accelerator(address), listenerId: address.listenerId,
      timeout: AlibabaCloudBackend.duration(timeout), pollInterval: waits.then)
    let firstLookSufficed = runtime.now().timeIntervalSince(looked) < RetryPolicy.seconds(waits.then)
    let took = firstLookSufficed ? looked.timeIntervalSince(started) * 0.8 : runtime.now().timeIntervalSince(started)
    await pacer.record(seconds: took)
  }

  private func requireHTTPS(_ address: ListenerAddress) async throws {
    let listener = try await getListener(address)
    guard listener.carriesCertificates else {
      throw CertHookError.invalidArgument(
        "\(address.key) is a \(listener.listenerProtocol) listener; only Global Accelerator HTTPS listeners take certificates"
      )
    }
  }

  /// The domains a CAS certificate binds: its DNS names (from `Sans`, or from the PEM when CAS lists none).
  func names(of certificateId: String) async throws -> [String] {
    guard let casId = RemoteCertificate.casId(fromIdentifier: certificateId) else {
      throw CertHookError.invalidArgument("certificate \(certificateId) is not a CAS identifier (<CertId>-<region>)")
    }
    var d = try await cas.getUserCertificateDetail(certId: casId, includePEM: false)
    if d.sans.isEmpty { d = try await cas.getUserCertificateDetail(certId: casId, includePEM: true) }
    let facts = CertificateCatalog.describe(
      detail: CloudCertificateDetail(
        certId: d.id, identifier: certificateId, name: d.name, commonName: d.commonName, sans: d.sans, sha256: d.sha2,
        notBefore: d.notBefore, notAfter: d.notAfter, certificatePEM: d.certificatePEM),
      identifier: certificateId)
    let names = Self.domainNames(facts.dnsNames)
    guard !names.isEmpty else {
      throw CertHookError.certificate(
        "certificate \(certificateId) names no domain (CAS lists no names and its PEM none); Global Accelerator binds additional certificates per domain"
      )
    }
    return names
  }
}
