import Foundation

/// CLB (SLB 2014-05-15, more-products spec section 3): HTTPS listeners named by load balancer and port, holding SLB
/// server certificates (copied from a CAS certificate or uploaded as PEM) as default certificate and in domain
/// extensions. Every change is synchronous. Lists are wrapped XML-style (`ServerCertificates.ServerCertificate[]`).
extension EmulatorEngine {
  /// Server certificates per region unless the seed says otherwise.
  static let clbDefaultServerCertificateQuota = 100

  func dispatchCLB(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let region = try call.params.required("RegionId")
    switch call.action {
    case "DescribeLoadBalancerHTTPSListenerAttribute": return try clbDescribeListener(call, region: region)
    case "SetLoadBalancerHTTPSListenerAttribute": return try clbSetListener(call, region: region)
    case "UploadServerCertificate": return try clbUpload(call, region: region)
    case "DescribeServerCertificates": return clbDescribeServerCertificates(call, region: region)
    case "DeleteServerCertificate": return try clbDeleteServerCertificate(call, region: region)
    case "CreateDomainExtension": return try clbCreateDomainExtension(call, region: region)
    case "DescribeDomainExtensions": return try clbDescribeDomainExtensions(call, region: region)
    case "SetDomainExtensionAttribute": return try clbSetDomainExtension(call, region: region)
    case "DeleteDomainExtension": return try clbDeleteDomainExtension(call, region: region)
    case "DescribeLoadBalancerAttribute": return try clbDescribeLoadBalancer(call, region: region)
    default:
      throw ApiError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    }
  }

  // MARK: Lookups

  /// The HTTPS listener `LoadBalancerId` + `ListenerPort` of the region.
  private func clbListener(_ call: ApiCall, region: String) throws(ApiError) -> Int {
    let lbId = try call.params.required("LoadBalancerId")
    guard region == state.region, state.loadBalancer(lbId, product: .clb) != nil else {
      throw ApiError(404, "InvalidLoadBalancerId.NotFound", "The specified LoadBalancerId \(lbId) does not exist.")
    }
    _ = try call.params.required("ListenerPort")
    let port = try call.params.int("ListenerPort", default: 0, range: 1...65535)
    guard let index = state.listenerIndex("\(lbId):\(port)", product: .clb) else {
      throw ApiError(400, "ListenerNotExist", "The specified listener \(lbId) port \(port) does not exist.")
    }
    guard state.listeners[index].protocol == "HTTPS" else {
      throw ApiError(400, "ListenerProtocolMismatch", "The listener \(lbId) port \(port) is not an HTTPS listener.")
    }
    return index
  }

  private func clbServerCertificate(_ id: String, region: String) throws(ApiError) -> StoredServerCertificate {
    guard let cert = state.serverCertificate(id), cert.regionId == region else {
      throw ApiError(404, "ServerCertificateId.NotFound", "The specified ServerCertificateId \(id) does not exist.")
    }
    return cert
  }

  /// The listener and position of domain extension `id`.
  private func clbDomainExtension(_ call: ApiCall, region: String) throws(ApiError) -> (listener: Int, index: Int) {
    let id = try call.params.required("DomainExtensionId")
    for (li, l) in state.listeners.enumerated() where l.kind == .clb && region == state.region {
      if let a = l.additional.firstIndex(where: { $0.extensionId == id }) { return (li, a) }
    }
    throw ApiError(400, "InvalidParameter.DomainExtensionId", "The specified DomainExtensionId \(id) does not exist.")
  }

  // MARK: Listener

  private func clbDescribeListener(_ call: ApiCall, region: String) throws(ApiError) -> ApiOutcome {
    let l = state.listeners[try clbListener(call, region: region)]
    return ApiOutcome(fields: [
      ("LoadBalancerId", .string(l.loadBalancerId)),
      ("ListenerPort", .int(l.port)),
      ("BackendServerPort", .int(l.port)),
      ("Status", .string(l.status)),
      ("Description", .string(l.description)),
      ("Bandwidth", .int(-1)),
      ("Scheduler", .string("wrr")),
      ("StickySession", .string("off")),
      ("HealthCheck", .string("on")),
      ("XForwardedFor", .string("on")),
      ("Gzip", .string("on")),
      ("TLSCipherPolicy", .string("tls_cipher_policy_1_0")),
      ("ServerCertificateId", .string(l.defaultCertificateId ?? "")),
      (
        "DomainExtensions", .object([("DomainExtension", .array(l.additional.map { .object(clbExtensionFields($0)) }))])
      ),
    ])
  }

  private func clbExtensionFields(_ a: StoredAssociation) -> [(String, ResponseJSON)] {
    [
      ("DomainExtensionId", .string(a.extensionId ?? "")), ("Domain", .string(a.domain ?? "")),
      ("ServerCertificateId", .string(a.certificateId)),
    ]
  }

  private func clbSetListener(_ call: ApiCall, region: String) throws(ApiError) -> ApiOutcome {
    let index = try clbListener(call, region: region)
    let newId = call.params.string("ServerCertificateId")
    if let newId { _ = try clbServerCertificate(newId, region: region) }
    if try call.params.bool("DryRun") { throw ApiError.dryRun }
    if let description = call.params["Description"] { state.listeners[index].description = description }
    let l = state.listeners[index]
    if let newId, newId != l.defaultCertificateId {
      state.listeners[index].defaultCertificateId = newId
      state.emit(
        .defaultCertificateReplaced, time: call.now, listenerId: l.id, certificateId: newId,
        detail: l.defaultCertificateId.map { "previous \($0)" })
    }
    dirty = true
    return ApiOutcome(fields: [])
  }

  // MARK: Server certificates

  private func clbServerCertificateFields(_ c: StoredServerCertificate) -> [(String, ResponseJSON)] {
    [
      ("ServerCertificateId", .string(c.id)),
      ("ServerCertificateName", .string(c.name)),
      ("Fingerprint", .string(c.fingerprint)),
      ("CommonName", .string(c.record.commonName)),
      ("SubjectAlternativeNames", .object([("SubjectAlternativeName", .array(c.record.sans.map { .string($0) }))])),
      ("ExpireTime", .string(TimeFormats.wholeSeconds(c.record.notAfter))),
      ("ExpireTimeStamp", .int(TimeFormats.epochMilliseconds(c.record.notAfter))),
      ("CreateTime", .string(TimeFormats.wholeSeconds(c.createTime))),
      ("CreateTimeStamp", .int(TimeFormats.epochMilliseconds(c.createTime))),
      ("IsAliCloudCertificate", .int(c.aliCloudCertificateId == nil ? 0 : 1)),
      ("AliCloudCertificateId", .string(c.aliCloudCertificateId.map(String.init) ?? "")),
      ("AliCloudCertificateName", .string(c.aliCloudCertificateName ?? "")),
      ("RegionId", .string(c.regionId)),
      ("ResourceGroupId", .string("rg-emulator")),
    ]
  }

  private func clbUpload(_ call: ApiCall, region: String) throws(ApiError) -> ApiOutcome {
    guard region == state.region else {
      throw ApiError(400, "InvalidRegionId", "The emulator serves CLB in \(state.region), not \(region).")
    }
    let name = call.params.string("ServerCertificateName")
    if let name, !(1...80).contains(name.count) {
      throw ApiError.invalidParameter("ServerCertificateName must be 1 to 80 characters")
    }
    let quota = state.serverCertificateQuota ?? Self.clbDefaultServerCertificateQuota
    guard state.serverCertificateList.filter({ $0.regionId == region }).count < quota else {
      throw ApiError(
        400, "QuotaExceeded.ServerCertificate",
        "The quota of \(quota) server certificates in region \(region) is exceeded.")
    }
    let record: StoredCertificate
    var casId: Int? = nil
    var casName: String? = nil
    if let text = call.params.string("AliCloudCertificateId") {
      guard let id = Int(text), let index = state.certificateIndex(certId: id) else {
        throw ApiError(
          404, "AliCloudCertificateId.NotFound", "The specified AliCloudCertificateId \(text) does not exist.")
      }
      let casRegion = try call.params.required("AliCloudCertificateRegionId")
      guard casRegion == state.casSiteRegion || casRegion == state.region else {
        throw ApiError.invalidParameter(
          "AliCloudCertificateRegionId \(casRegion) is not the region of CAS certificate \(id)")
      }
      casName = try call.params.required("AliCloudCertificateName")
      casId = id
      record = state.certificates[index]
    } else {
      let pem = try call.params.required("ServerCertificate")
      let key = try call.params.required("PrivateKey")
      do {
        record = try CertificateIntake.record(
          certPEM: pem, keyPEM: key, certId: 0, name: name ?? "", resourceId: "", now: call.now, resourceGroupId: nil,
          generated: false)
      } catch {
        // SLB's codes for a refused PEM pair.
        let code = error.code == "InvalidParameter.Cert" ? "ServerCertificate.Invalid" : "PrivateKey.Invalid"
        throw ApiError(
          400, error.code == "InvalidParameter.KeyMismatch" ? "CertificateAndPrivateKeyMismatch" : code, error.message)
      }
    }
    let id = state.addServerCertificate(
      record: record, name: name ?? casName ?? record.commonName, aliCloudCertificateId: casId,
      aliCloudCertificateName: casName, time: call.now)
    state.emit(.serverCertificateUploaded, time: call.now, certificateId: id, detail: casId.map { "from CAS \($0)" })
    dirty = true
    guard let stored = state.serverCertificate(id) else { throw ApiError.serviceUnavailable }
    return ApiOutcome(fields: clbServerCertificateFields(stored))
  }

  private func clbDescribeServerCertificates(_ call: ApiCall, region: String) -> ApiOutcome {
    let filter = call.params.string("ServerCertificateId").map { $0.split(separator: ",").map(String.init) }
    let matching = state.serverCertificateList.filter { $0.regionId == region && (filter?.contains($0.id) ?? true) }
    return ApiOutcome(fields: [
      (
        "ServerCertificates",
        .object([("ServerCertificate", .array(matching.map { .object(clbServerCertificateFields($0)) }))])
      )
    ])
  }

  private func clbDeleteServerCertificate(_ call: ApiCall, region: String) throws(ApiError) -> ApiOutcome {
    let id = try call.params.required("ServerCertificateId")
    _ = try clbServerCertificate(id, region: region)
    let users = state.listenersUsing(id)
    guard users.isEmpty else {
      throw ApiError(
        400, "CertificateAndPrivateKeyIsRefered",
        "The server certificate \(id) is still used by \(users.joined(separator: ", ")).")
    }
    state.serverCertificateList.removeAll { $0.id == id }
    state.emit(.serverCertificateDeleted, time: call.now, certificateId: id)
    dirty = true
    return ApiOutcome(fields: [])
  }

  // MARK: Domain extensions

  private func clbCreateDomainExtension(_ call: ApiCall, region: String) throws(ApiError) -> ApiOutcome {
    let index = try clbListener(call, region: region)
    let domain = try call.params.required("Domain")
    let certId = try call.params.required("ServerCertificateId")
    _ = try clbServerCertificate(certId, region: region)
    let l = state.listeners[index]
    if l.additional.contains(where: { $0.domain?.lowercased() == domain.lowercased() }) {
      throw ApiError(400, "DomainExtensionExist", "The domain \(domain) already has a domain extension on \(l.id).")
    }
    let quota = state.loadBalancer(l.loadBalancerId, product: .clb)?.certificateQuota ?? 3
    guard l.additional.count < quota else {
      throw ApiError(
        400, "QuotaExceeded.DomainExtension", "The quota of \(quota) domain extensions of listener \(l.id) is exceeded."
      )
    }
    let id = state.nextDomainExtensionId()
    state.listeners[index].additional.append(
      StoredAssociation(certificateId: certId, status: "Associated", domain: domain, extensionId: id))
    let detail = "domain \(domain) extension \(id)"
    state.emit(.certificateAssociating, time: call.now, listenerId: l.id, certificateId: certId, detail: detail)
    state.emit(.certificateAssociated, time: call.now, listenerId: l.id, certificateId: certId, detail: detail)
    dirty = true
    return ApiOutcome(fields: [("DomainExtensionId", .string(id)), ("ListenerPort", .int(l.port))])
  }

  private func clbDescribeDomainExtensions(_ call: ApiCall, region: String) throws(ApiError) -> ApiOutcome {
    let l = state.listeners[try clbListener(call, region: region)]
    let only = call.params.string("DomainExtensionId")
    let items = l.additional.filter { only == nil || $0.extensionId == only }
    return ApiOutcome(fields: [
      ("DomainExtensions", .object([("DomainExtension", .array(items.map { .object(clbExtensionFields($0)) }))]))
    ])
  }

  /// Swaps an extension's certificate in place: the new one serves from the instant the old one stops.
  private func clbSetDomainExtension(_ call: ApiCall, region: String) throws(ApiError) -> ApiOutcome {
    let (li, a) = try clbDomainExtension(call, region: region)
    let certId = try call.params.required("ServerCertificateId")
    _ = try clbServerCertificate(certId, region: region)
    let previous = state.listeners[li].additional[a]
    guard previous.certificateId != certId else { return ApiOutcome(fields: []) }
    state.listeners[li].additional[a].certificateId = certId
    let listenerId = state.listeners[li].id
    let detail = "domain \(previous.domain ?? "") extension \(previous.extensionId ?? "")"
    state.emit(.certificateAssociating, time: call.now, listenerId: listenerId, certificateId: certId, detail: detail)
    state.emit(.certificateAssociated, time: call.now, listenerId: listenerId, certificateId: certId, detail: detail)
    state.emit(
      .certificateDissociating, time: call.now, listenerId: listenerId, certificateId: previous.certificateId,
      detail: detail)
    state.emit(
      .certificateDissociated, time: call.now, listenerId: listenerId, certificateId: previous.certificateId,
      detail: detail)
    dirty = true
    return ApiOutcome(fields: [])
  }

  private func clbDeleteDomainExtension(_ call: ApiCall, region: String) throws(ApiError) -> ApiOutcome {
    let (li, a) = try clbDomainExtension(call, region: region)
    let gone = state.listeners[li].additional.remove(at: a)
    let listenerId = state.listeners[li].id
    let detail = "domain \(gone.domain ?? "") extension \(gone.extensionId ?? "")"
    state.emit(
      .certificateDissociating, time: call.now, listenerId: listenerId, certificateId: gone.certificateId,
      detail: detail)
    state.emit(
      .certificateDissociated, time: call.now, listenerId: listenerId, certificateId: gone.certificateId, detail: detail
    )
    dirty = true
    return ApiOutcome(fields: [])
  }
}
