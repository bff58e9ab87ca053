import Foundation

extension EmulatorEngine {
  /// The identity fields ALB and NLB listeners share (`ListenerId` ... `ListenerDescription`).
  static func listenerIdentityFields(_ l: StoredListener) -> [(String, ResponseJSON)] {
    [
      ("ListenerId", .string(l.id)),
      ("LoadBalancerId", .string(l.loadBalancerId)),
      ("ListenerProtocol", .string(l.protocol)),
      ("ListenerPort", .int(l.port)),
      ("ListenerStatus", .string(l.status)),
      ("ListenerDescription", .string(l.description)),
    ]
  }

  func listenerFields(_ l: StoredListener) -> [(String, ResponseJSON)] {
    var fields =
      Self.listenerIdentityFields(l) + [
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
    fields.append(
      (
        "DefaultActions",
        .array([
          .object([
            ("Type", .string("ForwardGroup")),
            (
              "ForwardGroupConfig",
              .object([
                ("ServerGroupTuples", .array([.object([("ServerGroupId", .string("sgp-\(l.loadBalancerId)"))])]))
              ])
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

  /// The listeners of `product` that `LoadBalancerIds.N`, `ListenerIds.N` (at most 20 each) and `ListenerProtocol`
  /// select (ALB and NLB `ListListeners`).
  func matchingListeners(_ call: ApiCall, product: EmulatorSeed.Product) throws(ApiError) -> [StoredListener] {
    let lbIds = call.params.list("LoadBalancerIds")
    let ids = call.params.list("ListenerIds")
    if lbIds.count > 20 || ids.count > 20 {
      throw ApiError.invalidParameter("LoadBalancerIds and ListenerIds accept at most 20 items each")
    }
    let proto = call.params.string("ListenerProtocol")
    // NLB refuses an unknown protocol (assumed); ALB answers an empty list, as it always has.
    if let proto, product != .alb, !product.protocols.contains(proto) {
      throw ApiError.invalidParameter("ListenerProtocol must be one of \(product.protocols.joined(separator: ", "))")
    }
    return state.listeners.filter { l in
      l.kind == product && (lbIds.isEmpty || lbIds.contains(l.loadBalancerId)) && (ids.isEmpty || ids.contains(l.id))
        && (proto == nil || proto == l.protocol)
    }
  }

  /// ALB and NLB `ListListenerCertificates`: the default certificate (`IsDefault`, as ALB lists it; unconfirmed for
  /// NLB) and the additional ones, filtered by `CertificateIds.N` and the type (`typeParameter`: `Ca` lists none).
  func listenerCertificates(_ call: ApiCall, typeParameter: String, maxResults: Int = 100) throws(ApiError) -> (
    items: [(id: String, isDefault: Bool, status: String)], page: TokenPage, next: String, total: Int
  ) {
    let l = state.listeners[try listener(call)]
    let page = try TokenPage(call.params)
    if page.maxResults > maxResults {
      throw ApiError.invalidParameter("MaxResults must be an integer from 1 to \(maxResults)")
    }
    let type = call.params.string(typeParameter)
    if let type, type != "Ca", type != "Server" {
      throw ApiError.invalidParameter("\(typeParameter) must be Ca or Server")
    }
    let filter = call.params.list("CertificateIds")
    var all: [(id: String, isDefault: Bool, status: String)] = []
    if let d = l.defaultCertificateId { all.append((d, true, "Associated")) }
    all += l.additional.map { ($0.certificateId, false, $0.status) }
    let matching = type == "Ca" ? [] : all.filter { filter.isEmpty || filter.contains($0.id) }
    let (items, next) = page.slice(matching)
    return (items, page, next, matching.count)
  }

  /// One row of `ListListenerCertificates` (ALB, NLB).
  static func certificateRow(_ item: (id: String, isDefault: Bool, status: String)) -> ResponseJSON {
    .object([
      ("CertificateId", .string(item.id)), ("CertificateType", .string("Server")), ("IsDefault", .bool(item.isDefault)),
      ("Status", .string(item.status)),
    ])
  }

  func listListeners(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let page = try TokenPage(call.params)
    // Listeners carry no tags in the emulator, so any tag filter matches nothing.
    let tagFilter = !call.params.list("Tag", field: "Key").isEmpty
    let found = try matchingListeners(call, product: .alb)
    let matching = tagFilter ? [] : found
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
    let found = try listenerCertificates(call, typeParameter: "CertificateType")
    return ApiOutcome(fields: [
      ("Certificates", .array(found.items.map(Self.certificateRow))),
      ("NextToken", .string(found.next)),
      ("MaxResults", .int(found.page.maxResults)),
      ("TotalCount", .int(found.total)),
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
    let (wantedJobs, wantedResources) = (Set(jobIds), Set(resourceIds))
    let anyType = resourceType == nil || resourceType?.lowercased() == "listener"
    // Jobs are looked at in place: iterating `state.jobs` copied every job (its strings) on each poll, a twentieth
    // of the emulator's CPU in `bench/fleet` once thousands of jobs had piled up.
    var matching: [StoredJob] = []
    state.jobs.withUnsafeBufferPointer { jobs in
      guard anyType else { return }
      // Jobs asked for by ID are recent ones: found from the end, then taken in their order.
      let candidates =
        wantedJobs.isEmpty
        ? Array(jobs.indices)
        : wantedJobs.compactMap { id in jobs.lastIndex { $0.id == id } }.sorted()
      for index in candidates {
        guard jobs[index].kind == .alb, wantedResources.isEmpty || wantedResources.contains(jobs[index].listenerId),
          apiName == nil || apiName == jobs[index].apiName
        else { continue }
        let created = TimeFormats.epochMilliseconds(jobs[index].createTime)
        if begin.map({ created >= $0 }) ?? true, end.map({ created <= $0 }) ?? true { matching.append(jobs[index]) }
      }
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
