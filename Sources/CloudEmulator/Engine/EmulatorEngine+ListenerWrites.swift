import Foundation

extension EmulatorEngine {
  static let maxCertificatesPerCall = 15

  /// Listener checks shared by every certificate change: exists, takes certificates, not Configuring.
  private func writableListener(_ call: ApiCall) throws(ApiError) -> Int {
    let index = try listener(call)
    let l = state.listeners[index]
    guard l.acceptsCertificates else {
      throw ApiError(
        400, "OperationDenied.ListenerProtocol",
        "The operation is not allowed because of listener \(l.id) uses protocol \(l.protocol); only HTTPS and QUIC listeners take certificates."
      )
    }
    return index
  }

  private func requireRunning(_ index: Int) throws(ApiError) {
    let l = state.listeners[index]
    guard l.status == "Running" else { throw ApiError.incorrectListenerStatus(l.id, l.status) }
  }

  private func certificateIds(_ call: ApiCall) throws(ApiError) -> [String] {
    let ids = call.params.list("Certificates", field: "CertificateId")
    if ids.isEmpty { throw ApiError.missingParameter("Certificates.1.CertificateId") }
    if ids.count > EmulatorEngine.maxCertificatesPerCall {
      throw ApiError(
        400, "QuotaExceeded.CertificatesNum",
        "The number of certificates in one request is limited to \(EmulatorEngine.maxCertificatesPerCall); \(ids.count) given."
      )
    }
    if Set(ids).count != ids.count {
      throw ApiError.invalidParameter("Certificates lists the same CertificateId twice")
    }
    return ids
  }

  private func jobOutcome(_ call: ApiCall, jobId: String) -> ApiOutcome {
    remember(call, fields: ["JobId": jobId])
    return ApiOutcome(fields: [("JobId", .string(jobId))])
  }

  func associate(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    let index = try writableListener(call)
    let ids = try certificateIds(call)
    try requireRunning(index)
    let l = state.listeners[index]
    for id in ids {
      guard state.certificateIndex(identifier: id) != nil else { throw ApiError.certificateNotFound(id) }
      if id == l.defaultCertificateId {
        throw ApiError(
          400, "OperationDenied.DefaultCertificateUsed",
          "The operation is not allowed because of DefaultCertificateUsed(\(id)).")
      }
      if l.additional.contains(where: { $0.certificateId == id }) {
        throw ApiError(
          400, "ResourceAlreadyAssociated.Certificate", "The specified resource \(id) is already associated.")
      }
    }
    if let lb = state.loadBalancer(l.loadBalancerId) {
      let usage = state.certificateUsage(loadBalancerId: lb.id) + ids.count
      if usage > lb.certificateQuota {
        throw ApiError(
          400, "ResourceQuotaExceeded.LoadBalancerCertificatesNum",
          "The quota of LoadBalancerCertificatesNum is exceeded for resource \(lb.id), usage \(usage)/\(lb.certificateQuota)."
        )
      }
    }
    if try call.params.bool("DryRun") { throw ApiError.dryRun }
    let jobId = startJob(apiName: call.action, listenerIndex: index, change: .associate(ids), now: call.now)
    return jobOutcome(call, jobId: jobId)
  }

  func dissociate(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    let index = try writableListener(call)
    let ids = try certificateIds(call)
    try requireRunning(index)
    let l = state.listeners[index]
    for id in ids {
      if id == l.defaultCertificateId {
        throw ApiError(
          400, "OperationDenied.DefaultCertificateUsed",
          "The operation is not allowed because of DefaultCertificateUsed(\(id)).")
      }
      guard l.additional.contains(where: { $0.certificateId == id && $0.status == "Associated" }) else {
        throw ApiError(400, "ResourceNotAssociated.Certificate", "The specified resource \(id) is not associated.")
      }
    }
    if try call.params.bool("DryRun") { throw ApiError.dryRun }
    let jobId = startJob(apiName: call.action, listenerIndex: index, change: .dissociate(ids), now: call.now)
    return jobOutcome(call, jobId: jobId)
  }

  func updateListenerAttribute(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    let ids = call.params.list("Certificates", field: "CertificateId")
    let index = ids.isEmpty ? try listener(call) : try writableListener(call)
    if ids.count > 1 {
      throw ApiError.invalidParameter("Certificates takes exactly one default certificate; \(ids.count) given")
    }
    try requireRunning(index)
    if let id = ids.first {
      guard state.certificateIndex(identifier: id) != nil else { throw ApiError.certificateNotFound(id) }
    }
    let description = call.params["ListenerDescription"]
    if try call.params.bool("DryRun") { throw ApiError.dryRun }
    let jobId = startJob(
      apiName: call.action, listenerIndex: index,
      change: .update(defaultCertificateId: ids.first, description: description), now: call.now)
    return jobOutcome(call, jobId: jobId)
  }
}
