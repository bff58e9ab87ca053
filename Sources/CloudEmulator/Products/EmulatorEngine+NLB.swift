import Foundation

/// NLB 2022-04-30 (more-products spec section 1): TCPSSL listeners, additional certificates per instance, async jobs
/// polled with `GetJobStatus`. The SDK sends the certificate writes as a form body; `IncomingRequest` merges it.
extension EmulatorEngine {
  /// Most certificates one NLB call may name.
  static let nlbCertificatesPerCall = 15

  func dispatchNLB(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    switch call.action {
    case "ListListeners": return try nlbListListeners(call)
    case "GetListenerAttribute": return try nlbGetListenerAttribute(call)
    case "ListListenerCertificates": return try nlbListListenerCertificates(call)
    case "AssociateAdditionalCertificatesWithListener": return try nlbAssociate(call, associate: true)
    case "DisassociateAdditionalCertificatesWithListener": return try nlbAssociate(call, associate: false)
    case "UpdateListenerAttribute": return try nlbUpdateListenerAttribute(call)
    case "GetJobStatus": return try nlbGetJobStatus(call)
    case "GetLoadBalancerAttribute": return try nlbGetLoadBalancerAttribute(call)
    default:
      throw ApiError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    }
  }

  private func nlbListenerFields(_ l: StoredListener) -> [(String, ResponseJSON)] {
    Self.listenerIdentityFields(l) + [
      ("ServerGroupId", .string("sgp-\(l.loadBalancerId)")),
      ("IdleTimeout", .int(900)),
      ("ProxyProtocolEnabled", .bool(false)),
      ("SecSensorEnabled", .bool(false)),
      ("CaEnabled", .bool(false)),
      ("SecurityPolicyId", .string(l.acceptsCertificates ? "tls_cipher_policy_1_0" : "")),
      // The default certificate only (spec: `CertificateIds[]` holds one).
      ("CertificateIds", .array(l.defaultCertificateId.map { [.string($0)] } ?? [])),
      ("CaCertificateIds", .array([])),
      ("RegionId", .string(state.region)),
      ("Tags", .array([])),
    ]
  }

  private func nlbListListeners(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let page = try TokenPage(call.params)
    let matching = try matchingListeners(call, product: .nlb)
    let (items, next) = page.slice(matching)
    return ApiOutcome(fields: [
      ("Listeners", .array(items.map { .object(nlbListenerFields($0)) })),
      ("NextToken", .string(next)),
      ("MaxResults", .int(page.maxResults)),
      ("TotalCount", .int(matching.count)),
    ])
  }

  private func nlbGetListenerAttribute(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let l = state.listeners[try listener(call)]
    if try call.params.bool("DryRun") { throw ApiError.dryRun }
    return ApiOutcome(fields: nlbListenerFields(l))
  }

  private func nlbListListenerCertificates(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    // The SDK allows MaxResults 1-50 (the docs say 100); the default certificate is listed as ALB lists it.
    let found = try listenerCertificates(call, typeParameter: "CertType", maxResults: 50)
    return ApiOutcome(fields: [
      ("Certificates", .array(found.items.map(Self.certificateRow))),
      ("CertificateIds", .array(found.items.map { .string($0.id) })),
      ("NextToken", .string(found.next)),
      ("MaxResults", .int(found.page.maxResults)),
      ("TotalCount", .int(found.total)),
    ])
  }

  /// A TCPSSL listener that is `Running`; another change still applied holds the lock (`Conflict.Lock`).
  private func nlbWritableListener(_ call: ApiCall) throws(ApiError) -> Int {
    let index = try listener(call)
    let l = state.listeners[index]
    guard l.protocol == "TCPSSL" else {
      throw ApiError(
        400, "OperationDenied.ListenerProtocol",
        "The operation is not allowed because listener \(l.id) uses protocol \(l.protocol); only TCPSSL listeners take certificates."
      )
    }
    guard l.status == l.idleStatus else { throw ApiError.nlbLocked(l.id) }
    return index
  }

  private func nlbAssociate(_ call: ApiCall, associate: Bool) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    let index = try nlbWritableListener(call)
    let ids = call.params.list("AdditionalCertificateIds")
    if ids.isEmpty { throw ApiError.missingParameter("AdditionalCertificateIds.1") }
    if ids.count > Self.nlbCertificatesPerCall {
      throw ApiError.invalidParameter(
        "AdditionalCertificateIds accepts at most \(Self.nlbCertificatesPerCall) items; \(ids.count) given")
    }
    if Set(ids).count != ids.count {
      throw ApiError.invalidParameter("AdditionalCertificateIds lists the same ID twice")
    }
    let l = state.listeners[index]
    for id in ids {
      if id == l.defaultCertificateId {
        throw ApiError(
          400, "OperationDenied.DefaultCertificateUsed", "The certificate \(id) is the listener's default certificate.")
      }
      if associate {
        guard state.certificateIndex(identifier: id) != nil else {
          throw ApiError(404, "ResourceNotFound.certificate", "The specified resource \(id) is not found.")
        }
        if l.additional.contains(where: { $0.certificateId == id }) {
          throw ApiError(
            400, "ResourceAlreadyAssociated.certificate", "The specified resource \(id) is already associated.")
        }
      } else {
        guard l.additional.contains(where: { $0.certificateId == id && $0.status == "Associated" }) else {
          throw ApiError(400, "ResourceNotAssociated.certificate", "The specified resource \(id) is not associated.")
        }
      }
    }
    if associate, let lb = state.loadBalancer(l.loadBalancerId, product: .nlb) {
      let usage = state.certificateUsage(loadBalancerId: lb.id) + ids.count
      if usage > lb.certificateQuota {
        throw ApiError(
          400, "QuotaExceeded.AdditionalCertificatesNum",
          "The quota of additional certificates is exceeded for resource \(lb.id), usage \(usage)/\(lb.certificateQuota)."
        )
      }
    }
    if try call.params.bool("DryRun") { throw ApiError.dryRun }
    let jobId = startJob(
      apiName: call.action, listenerIndex: index, change: associate ? .associate(ids) : .dissociate(ids), now: call.now)
    remember(call, fields: ["JobId": jobId])
    return ApiOutcome(fields: [("JobId", .string(jobId))])
  }

  private func nlbUpdateListenerAttribute(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    let ids = call.params.list("CertificateIds")
    let index = ids.isEmpty ? try listener(call) : try nlbWritableListener(call)
    let l = state.listeners[index]
    guard l.status == l.idleStatus else { throw ApiError.nlbLocked(l.id) }
    if ids.count > 1 {
      throw ApiError.invalidParameter("CertificateIds takes exactly one default certificate; \(ids.count) given")
    }
    if let id = ids.first, state.certificateIndex(identifier: id) == nil {
      throw ApiError(404, "ResourceNotFound.certificate", "The specified resource \(id) is not found.")
    }
    let description = call.params["ListenerDescription"]
    if try call.params.bool("DryRun") { throw ApiError.dryRun }
    let jobId = startJob(
      apiName: call.action, listenerIndex: index,
      change: .update(defaultCertificateId: ids.first, description: description), now: call.now)
    remember(call, fields: ["JobId": jobId])
    return ApiOutcome(fields: [("JobId", .string(jobId))])
  }

  private func nlbGetJobStatus(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let id = try call.params.required("JobId")
    guard let job = state.jobs.first(where: { $0.id == id && $0.kind == .nlb }) else {
      throw ApiError(404, "ResourceNotFound.JobId", "The specified resource \(id) is not found.")
    }
    return ApiOutcome(fields: [("Status", .string(job.status))])
  }
}
