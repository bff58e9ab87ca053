import Foundation

/// Global Accelerator 2019-11-20 (more-products spec section 2): HTTPS listeners whose additional certificates are
/// bound per domain (one certificate per domain), writes that run asynchronously (listener `updating` -> `active`)
/// under the accelerator's exclusive lock, and every call on `RegionId=cn-hangzhou`.
extension EmulatorEngine {
  /// GA's one API region.
  static let gaRegion = "cn-hangzhou"
  /// Most certificates (or domains) one GA call may name.
  static let gaCertificatesPerCall = 10

  func dispatchGA(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let region = try call.params.required("RegionId")
    guard region == Self.gaRegion else {
      throw ApiError(
        400, "InvalidRegionId",
        "The specified RegionId \(region) is not valid; Global Accelerator is served in \(Self.gaRegion).")
    }
    switch call.action {
    case "ListListeners": return try gaListListeners(call)
    case "DescribeListener": return ApiOutcome(fields: gaListenerFields(state.listeners[try gaListener(call)]))
    case "ListListenerCertificates": return try gaListListenerCertificates(call)
    case "AssociateAdditionalCertificatesWithListener": return try gaAssociate(call)
    case "UpdateAdditionalCertificateWithListener": return try gaUpdateAdditional(call)
    case "DissociateAdditionalCertificatesFromListener": return try gaDissociate(call)
    case "UpdateListener": return try gaUpdateListener(call)
    case "DescribeAccelerator": return try gaDescribeAccelerator(call)
    default:
      throw ApiError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    }
  }

  // MARK: Lookups and the lock

  private func gaAccelerator(_ id: String) throws(ApiError) -> StoredLoadBalancer {
    guard let accelerator = state.loadBalancer(id, product: .ga) else {
      throw ApiError(404, "NotExist.Accelerator", "The accelerator \(id) does not exist.")
    }
    return accelerator
  }

  /// The accelerator is `configuring` while a change on any of its listeners is applied, else `active`.
  private func gaAcceleratorState(_ id: String) -> String {
    state.listeners.contains { $0.loadBalancerId == id && $0.kind == .ga && $0.status != $0.idleStatus }
      ? "configuring" : "active"
  }

  private func gaListener(_ call: ApiCall) throws(ApiError) -> Int {
    let id = try call.params.required("ListenerId")
    guard let index = state.listenerIndex(id, product: .ga) else {
      throw ApiError(404, "NotExist.Listener", "The listener \(id) does not exist.")
    }
    if let accelerator = call.params.string("AcceleratorId"), accelerator != state.listeners[index].loadBalancerId {
      throw ApiError(404, "NotExist.Listener", "The listener \(id) does not exist on accelerator \(accelerator).")
    }
    return index
  }

  /// An HTTPS listener of an `active` accelerator: a write while the accelerator holds its exclusive lock answers
  /// `StateError.Accelerator`.
  private func gaWritableListener(_ call: ApiCall, needsAccelerator: Bool = true) throws(ApiError) -> Int {
    if needsAccelerator { _ = try gaAccelerator(try call.params.required("AcceleratorId")) }
    let index = try gaListener(call)
    let l = state.listeners[index]
    guard l.protocol.uppercased() == "HTTPS" else {
      throw ApiError(
        400, "NotSupport.ListenerProtocol",
        "The listener \(l.id) uses protocol \(l.protocol); only HTTPS listeners take certificates.")
    }
    guard gaAcceleratorState(l.loadBalancerId) == "active" else { throw ApiError.gaAcceleratorBusy(l.loadBalancerId) }
    return index
  }

  private func gaCertificateExists(_ id: String) throws(ApiError) {
    guard state.certificateIndex(identifier: id) != nil else {
      throw ApiError(404, "NotExist.Certificate", "The certificate \(id) does not exist.")
    }
  }

  // MARK: Reads

  private func gaListenerFields(_ l: StoredListener) -> [(String, ResponseJSON)] {
    [
      ("ListenerId", .string(l.id)),
      ("AcceleratorId", .string(l.loadBalancerId)),
      ("Name", .string(l.description)),
      ("Description", .string(l.description)),
      ("Protocol", .string(l.protocol)),
      ("State", .string(l.status)),
      ("ClientAffinity", .string("NONE")),
      ("PortRanges", .array([.object([("FromPort", .int(l.port)), ("ToPort", .int(l.port))])])),
      // The default certificate only.
      (
        "Certificates",
        .array(l.defaultCertificateId.map { [.object([("Id", .string($0)), ("Type", .string("Server"))])] } ?? [])
      ),
    ]
  }

  private func gaListListeners(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let number = try call.params.int("PageNumber", default: 1, range: 1...1_000_000)
    let size = try call.params.int("PageSize", default: 10, range: 1...50)
    let accelerator = call.params.string("AcceleratorId")
    // Protocol's case is unconfirmed: both `HTTPS` and `https` filter.
    let proto = call.params.string("Protocol")?.uppercased()
    let matching = state.listeners.filter { l in
      l.kind == .ga && (accelerator == nil || accelerator == l.loadBalancerId)
        && (proto == nil || proto == l.protocol.uppercased())
    }
    let start = min((number - 1) * size, matching.count)
    let items = matching[start..<min(start + size, matching.count)]
    return ApiOutcome(fields: [
      ("Listeners", .array(items.map { .object(gaListenerFields($0)) })),
      ("PageNumber", .int(number)),
      ("PageSize", .int(size)),
      ("TotalCount", .int(matching.count)),
    ])
  }

  private func gaListListenerCertificates(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    _ = try gaAccelerator(try call.params.required("AcceleratorId"))
    let l = state.listeners[try gaListener(call)]
    let page = try TokenPage(call.params)
    if page.maxResults > 50 { throw ApiError.invalidParameter("MaxResults must be an integer from 1 to 50") }
    let role = call.params.string("Role")
    if let role, role != "default", role != "additional" {
      throw ApiError.invalidParameter("Role must be default or additional")
    }
    var all: [[(String, ResponseJSON)]] = []
    if role != "additional", let d = l.defaultCertificateId {
      all.append([("CertificateId", .string(d)), ("IsDefault", .bool(true)), ("State", .string("active"))])
    }
    if role != "default" {
      for a in l.additional {
        all.append([
          ("CertificateId", .string(a.certificateId)), ("Domain", .string(a.domain ?? "")), ("IsDefault", .bool(false)),
          ("State", .string(a.status == "Associated" && a.pendingCertificateId == nil ? "active" : "updating")),
        ])
      }
    }
    let (items, next) = page.slice(all)
    return ApiOutcome(fields: [
      ("Certificates", .array(items.map { .object($0) })),
      ("NextToken", .string(next)),
      ("MaxResults", .int(page.maxResults)),
      ("TotalCount", .int(all.count)),
    ])
  }

  private func gaDescribeAccelerator(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let accelerator = try gaAccelerator(try call.params.required("AcceleratorId"))
    return ApiOutcome(fields: [
      ("AcceleratorId", .string(accelerator.id)),
      ("Name", .string(accelerator.id)),
      ("State", .string(gaAcceleratorState(accelerator.id))),
      ("RegionId", .string(Self.gaRegion)),
      ("DnsName", .string(ServingLayout.host(of: accelerator.id, in: state) ?? "")),
      ("Spec", .string("1")),
      ("InstanceChargeType", .string("POSTPAY")),
    ])
  }

  // MARK: Writes

  private func gaAssociate(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    let index = try gaWritableListener(call)
    let ids = call.params.list("Certificates", field: "Id")
    let domains = call.params.list("Certificates", field: "Domain")
    if ids.isEmpty { throw ApiError.missingParameter("Certificates.1.Id") }
    guard ids.count == domains.count, domains.allSatisfy({ !$0.isEmpty }) else {
      throw ApiError.missingParameter("Certificates.N.Domain")
    }
    if ids.count > Self.gaCertificatesPerCall {
      throw ApiError.invalidParameter(
        "Certificates accepts at most \(Self.gaCertificatesPerCall) items; \(ids.count) given")
    }
    if Set(domains.map { $0.lowercased() }).count != domains.count {
      throw ApiError.invalidParameter("Certificates binds one domain twice; one certificate per domain")
    }
    let l = state.listeners[index]
    for (id, domain) in zip(ids, domains) {
      try gaCertificateExists(id)
      if l.additional.contains(where: { $0.domain?.lowercased() == domain.lowercased() }) {
        throw ApiError(400, "Exist.Domain", "The domain \(domain) already has a certificate on listener \(l.id).")
      }
    }
    let quota = state.loadBalancer(l.loadBalancerId, product: .ga)?.certificateQuota ?? 3
    if l.additional.count + ids.count > quota {
      throw ApiError(
        400, "QuotaExceeded.Certificate",
        "The quota of additional certificates of listener \(l.id) is exceeded, usage \(l.additional.count + ids.count)/\(quota)."
      )
    }
    for (id, domain) in zip(ids, domains) {
      state.listeners[index].additional.append(
        StoredAssociation(certificateId: id, status: "Associating", domain: domain))
    }
    _ = startJob(apiName: call.action, listenerIndex: index, change: .bindDomains(domains), now: call.now)
    remember(call, fields: ["ListenerId": l.id])
    return ApiOutcome(fields: [("ListenerId", .string(l.id))])
  }

  /// Swaps one domain's certificate in place: the old one serves until the new one does (no gap by construction).
  private func gaUpdateAdditional(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    let index = try gaWritableListener(call)
    let domain = try call.params.required("Domain")
    let id = try call.params.required("CertificateId")
    try gaCertificateExists(id)
    let l = state.listeners[index]
    guard
      let a = l.additional.firstIndex(where: {
        $0.domain?.lowercased() == domain.lowercased() && $0.status == "Associated"
      })
    else {
      throw ApiError(404, "NotExist.Domain", "The domain \(domain) has no additional certificate on listener \(l.id).")
    }
    if try call.params.bool("DryRun") { throw ApiError.dryRun }
    state.listeners[index].additional[a].pendingCertificateId = id
    _ = startJob(
      apiName: call.action, listenerIndex: index, change: .swapDomain(l.additional[a].domain ?? domain), now: call.now)
    remember(call, fields: ["ListenerId": l.id])
    return ApiOutcome(fields: [("ListenerId", .string(l.id))])
  }

  private func gaDissociate(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    let index = try gaWritableListener(call)
    let domains = call.params.list("Domains")
    if domains.isEmpty { throw ApiError.missingParameter("Domains.1") }
    if domains.count > Self.gaCertificatesPerCall {
      throw ApiError.invalidParameter(
        "Domains accepts at most \(Self.gaCertificatesPerCall) items; \(domains.count) given")
    }
    let l = state.listeners[index]
    var bound: [String] = []
    for domain in domains {
      guard
        let a = l.additional.first(where: {
          $0.domain?.lowercased() == domain.lowercased() && $0.status == "Associated"
        }),
        let stored = a.domain
      else {
        throw ApiError(
          404, "NotExist.Domain", "The domain \(domain) has no additional certificate on listener \(l.id).")
      }
      bound.append(stored)
    }
    _ = startJob(apiName: call.action, listenerIndex: index, change: .unbindDomains(bound), now: call.now)
    remember(call, fields: [:])
    return ApiOutcome(fields: [])
  }

  private func gaUpdateListener(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    let ids = call.params.list("Certificates", field: "Id")
    let index = try gaWritableListener(call, needsAccelerator: false)
    if ids.count > 1 {
      throw ApiError.invalidParameter("Certificates takes exactly one default certificate; \(ids.count) given")
    }
    if let id = ids.first { try gaCertificateExists(id) }
    let description = call.params["Description"]
    _ = startJob(
      apiName: call.action, listenerIndex: index,
      change: .update(defaultCertificateId: ids.first, description: description),
      now: call.now)
    remember(call, fields: [:])
    return ApiOutcome(fields: [])
  }
}
