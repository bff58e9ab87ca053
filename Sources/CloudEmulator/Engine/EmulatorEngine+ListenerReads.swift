import Foundation

extension EmulatorEngine {
  func listenerFields(_ l: StoredListener) -> [(String, ResponseJSON)] {
    var fields: [(String, ResponseJSON)] = [
      ("ListenerId", .string(l.id)),
      ("LoadBalancerId", .string(l.loadBalancerId)),
      ("ListenerProtocol", .string(l.protocol)),
      ("ListenerPort", .int(l.port)),
      ("ListenerStatus", .string(l.status)),
      ("ListenerDescription", .string(l.description)),
      ("RequestTimeout", .int(60)),
      ("IdleTimeout", .int(15)),
      ("GzipEnabled", .bool(true)),
      ("Http2Enabled", .bool(l.protocol != "HTTP")),
    ]
    if l.acceptsCertificates {
      fields.append(("SecurityPolicyId", .string("tls_cipher_policy_1_0")))
    }
    if l.protocol == "HTTPS" {
      fields.append(("QuicConfig", .object([("QuicUpgradeEnabled", .bool(false))])))
    }
    fields.append((
      "DefaultActions",
      .array([
        .object([
          ("Type", .string("ForwardGroup")),
          (
            "ForwardGroupConfig",
            .object([("ServerGroupTuples", .array([.object([("ServerGroupId", .string("sgp-\(l.loadBalancerId)"))])]))])
          ),
        ])
      ])
    ))
    fields.append(("Tags", .array([])))
    return fields
  }

  func listener(_ call: ApiCall) throws(ApiError) -> Int {
    let id = try call.params.required("ListenerId")
    guard let index = state.listenerIndex(id, product: call.balancer) else {
      throw call.product == .nlb ? ApiError.nlbListenerNotFound(id) : ApiError.listenerNotFound(id)
    }
    return index
  }

  func listListeners(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let page = try TokenPage(call.params)
    let lbIds = call.params.list("LoadBalancerIds")
    let ids = call.params.list("ListenerIds")
    if lbIds.count > 20 || ids.count > 20 {
      throw ApiError.invalidParameter("LoadBalancerIds and ListenerIds accept at most 20 items each")
    }
    let proto = call.params.string("ListenerProtocol")
    // Listeners carry no tags in the emulator, so any tag filter matches nothing.
    let tagFilter = !call.params.list("Tag", field: "Key").isEmpty
    let matching =
      tagFilter
      ? []
      : state.listeners.filter { l in
        l.kind == .alb && (lbIds.isEmpty || lbIds.contains(l.loadBalancerId)) && (ids.isEmpty || ids.contains(l.id))
          && (proto == nil || proto == l.protocol)
      }
    let (items, next) = page.slice(matching)
    return ApiOutcome(fields: [
      ("Listeners", .array(items.map { .object(listenerFields($0)) })),
      ("NextToken", .string(next)),
      ("MaxResults", .int(page.maxResults)),
      ("TotalCount", .int(matching.count)),
    ])
  }

  func getListenerAttribute(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let l = state.listeners[try listener(call)]
    var fields = listenerFields(l)
    let certs: [ResponseJSON] = l.defaultCertificateId.map { [.object([("CertificateId", .string($0))])] } ?? []
    fields.append(("Certificates", .array(certs)))
    fields.append(("CaCertificates", .array([])))
    fields.append(("CaEnabled", .bool(false)))
    return ApiOutcome(fields: fields)
  }

  func listListenerCertificates(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let l = state.listeners[try listener(call)]
    let page = try TokenPage(call.params)
    let type = call.params.string("CertificateType")
    if let type, type != "Ca", type != "Server" {
      throw ApiError.invalidParameter("CertificateType must be Ca or Server")
    }
    let filter = call.params.list("CertificateIds")
    var all: [(String, Bool, String)] = []
    if let d = l.defaultCertificateId { all.append((d, true, "Associated")) }
    all += l.additional.map { ($0.certificateId, false, $0.status) }
    let matching = type == "Ca" ? [] : all.filter { filter.isEmpty || filter.contains($0.0) }
    let (items, next) = page.slice(matching)
    return ApiOutcome(fields: [
      (
        "Certificates",
        .array(
          items.map { item in
            .object([
              ("CertificateId", .string(item.0)),
              ("CertificateType", .string("Server")),
              ("IsDefault", .bool(item.1)),
              ("Status", .string(item.2)),
            ])
          })
      ),
      ("NextToken", .string(next)),
      ("MaxResults", .int(page.maxResults)),
      ("TotalCount", .int(matching.count)),
    ])
  }

  func listAsynJobs(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let page = try TokenPage(call.params)
    let jobIds = call.params.list("JobIds")
    let resourceIds = call.params.list("ResourceIds")
    let apiName = call.params.string("ApiName")
    let resourceType = call.params.string("ResourceType")
    let begin = call.params.string("BeginTime").flatMap { Int64($0) }
    let end = call.params.string("EndTime").flatMap { Int64($0) }
    let matching = state.jobs.filter { j in
      guard j.kind == .alb else { return false }
      let created = TimeFormats.epochMilliseconds(j.createTime)
      return (jobIds.isEmpty || jobIds.contains(j.id)) && (resourceIds.isEmpty || resourceIds.contains(j.listenerId))
        && (apiName == nil || apiName == j.apiName) && (resourceType == nil || resourceType?.lowercased() == "listener")
        && (begin.map { created >= $0 } ?? true) && (end.map { created <= $0 } ?? true)
    }
    let (items, next) = page.slice(matching)
    return ApiOutcome(fields: [
      (
        "Jobs",
        .array(
          items.map { j in
            var fields: [(String, ResponseJSON)] = [
              ("Id", .string(j.id)),
              ("ApiName", .string(j.apiName)),
              ("Status", .string(j.status)),
              ("OperateType", .string(j.operateType)),
              ("ResourceId", .string(j.listenerId)),
              ("ResourceType", .string("listener")),
              ("CreateTime", .int(TimeFormats.epochMilliseconds(j.createTime))),
              ("ModifyTime", .int(TimeFormats.epochMilliseconds(j.modifyTime))),
            ]
            if let code = j.errorCode { fields.append(("ErrorCode", .string(code))) }
            if let message = j.errorMessage { fields.append(("ErrorMessage", .string(message))) }
            return .object(fields)
          })
      ),
      ("NextToken", .string(next)),
      ("MaxResults", .int(page.maxResults)),
      ("TotalCount", .int(matching.count)),
    ])
  }
}
