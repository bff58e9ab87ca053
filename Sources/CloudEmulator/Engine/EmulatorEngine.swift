import struct AlibabaCloud.ApiAction
import Foundation

/// Holds all emulator state and answers API requests, one at a time.
actor EmulatorEngine {
  let clock: @Sendable () -> Date
  let jobDelay: TimeInterval
  let statePath: String?
  let recordWire: Bool
  var state: StoredState
  var verifier: SignatureVerifier
  /// The seed's access keys by ID (for STS `GetCallerIdentity`).
  let accessKeys: [String: EmulatorSeed.AccessKey]
  /// The seed's roles by lowercased ARN (STS `AssumeRole`, `AssumeRoleWithOIDC`).
  let roles: [String: EmulatorSeed.Role]
  /// Every STS credential issued so far, by AccessKeyId.
  var issued: [String: IssuedSession] = [:]
  /// The emulator-wide lifetime of issued STS credentials, nil for `DurationSeconds`.
  let stsLifetime: TimeInterval?
  /// Mints STS credentials: two emulators with the same fault seed issue the same sequence.
  var stsRandom: DeterministicRandom
  /// The worlds of the seed's further accounts (and, while one of them is active, the primary world under
  /// `primaryKey`).
  var accountWorlds: [String: AccountWorld] = [:]
  /// The account whose world is active during a request, nil for the primary world.
  var activeAccount: String?
  var nonces = NonceCache()
  var limiter: ActionThrottle
  var faults: FaultInjector
  var requestIds: DeterministicRandom
  var requests: [RequestRecord] = []
  var dirty = false
  var writeScheduled = false
  /// Where the TLS listeners answer (`--serve-tls`), shown in the state snapshot.
  var servingLayout: ServingLayout? = nil
  static let persistDelay: Duration = .milliseconds(50)

  init(configuration: EmulatorConfiguration) throws {
    clock = configuration.clock
    jobDelay = TimeFormats.seconds(configuration.jobDelay)
    statePath = configuration.statePath
    recordWire = configuration.recordWire
    try configuration.seed.validate()
    verifier = SignatureVerifier(keys: configuration.seed.allAccessKeys)
    accessKeys = Dictionary(configuration.seed.allAccessKeys.map { ($0.id, $0) }) { first, _ in first }
    roles = Dictionary(configuration.seed.roles.map { ($0.arn.lowercased(), $0) }) { first, _ in first }
    stsLifetime = configuration.stsCredentialLifetime.map(TimeFormats.seconds)
    stsRandom = DeterministicRandom(seed: configuration.faultSeed ^ 0x0057_5354)
    limiter = ActionThrottle(override: configuration.rateLimit)
    faults = FaultInjector(spec: configuration.faults, seed: configuration.faultSeed)
    requestIds = DeterministicRandom(seed: configuration.faultSeed ^ 0x5EED_0F_1D5)
    let now = configuration.clock()
    accountWorlds = try Self.accountWorlds(
      configuration, now: now, firstCertId: configuration.firstCertificateId ?? Seeding.firstCertId(startingAt: now))
    if let path = configuration.statePath, let loaded = try StatePersistence.load(path: path) {
      state = loaded
    } else {
      state = try Seeding.build(seed: configuration.seed, now: now, firstCertId: configuration.firstCertificateId)
      if let path = configuration.statePath {
        try StatePersistence.save(state, path: path)
      }
    }
  }

  // MARK: Entry point

  func handle(_ request: IncomingRequest) -> EngineResponse {
    let now = clock()
    advance(now: now)
    let params = Parameters(request.parameters)
    let action = request.header("x-acs-action") ?? params["Action"] ?? ""
    let version = request.header("x-acs-version") ?? params["Version"] ?? ""
    var record = RequestRecord(
      time: now, action: action, status: 200, listenerId: params.string("ListenerId"),
      clientToken: params.string("ClientToken"))
    record.dryRun = (try? params.bool("DryRun")) ?? false
    if recordWire { record.wire = request.wire }
    let fault = faults.draw()
    record.fault = fault?.rawValue
    let row = ApiAction.named(action, version: version)
    record.product = row?.product.rawValue
    let host = EmulatorEngine.hostId(row: row, action: action, region: state.region)
    var response: EngineResponse
    do throws(ApiError) {
      switch fault {
      case .throttle: throw ApiError.throttled()
      case .unavailable: throw ApiError.serviceUnavailable
      default: break
      }
      let caller: VerifiedCaller
      if Self.isAnonymous(action: action, request: request, params: params) {
        caller = VerifiedCaller(accessKeyId: "", nonce: "", version: "anonymous", date: now)
      } else {
        caller = try verifier.verify(request, now: now)
        guard nonces.use(caller.nonce, accessKeyId: caller.accessKeyId, date: caller.date, now: now) else {
          throw ApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        }
      }
      record.signatureVersion = caller.version
      if let account = account(of: caller) {
        activate(account, now: now)
        record.accountId = account
      }
      let route = try checkRoute(row, action: action, version: version)
      if let wait = limiter.admit(route, now: now) {
        throw ApiError.throttled(retryAfterMilliseconds: wait)
      }
      let call = ApiCall(action: action, product: route.product, params: params, caller: caller, now: now)
      if let busy = ApiError.busyFault(for: route, params: params), faults.drawBusyLoadBalancer() {
        record.fault = InjectedFault.busyLoadBalancer.rawValue
        throw busy
      }
      var outcome = try dispatch(call)
      record.replayed = outcome.replayed
      let requestId = requestIds.uuidString()
      outcome.fields.append(("RequestId", .string(requestId)))
      response = EngineResponse(
        status: 200, body: ResponseJSON.object(outcome.fields).serialized(),
        headers: [("content-type", "application/json;charset=utf-8"), ("x-acs-request-id", requestId)])
    } catch {
      record.status = error.status
      record.code = error.code
      response = errorResponse(error, host: host)
    }
    deactivate()
    if dirty {
      dirty = false
      persist()
    }
    switch fault {
    case .reset:
      response.reset = true
      record.status = 0
    case .slow:
      response.extraDelay = faults.spec.slowDelay
    default: break
    }
    requests.append(record)
    if requests.count > 200_000 { requests.removeFirst(requests.count - 100_000) }
    return response
  }

  /// Answers (and logs) a request that could not even be parsed.
  func reject(_ error: ApiError) -> EngineResponse {
    requests.append(RequestRecord(time: clock(), action: "", status: error.status, code: error.code))
    return errorResponse(error, host: EmulatorEngine.hostId(row: nil, action: "", region: state.region))
  }

  func errorResponse(_ error: ApiError, host: String) -> EngineResponse {
    let requestId = requestIds.uuidString()
    let query = WireCoding.encode(error.code)
    let body = ResponseJSON.object([
      ("RequestId", .string(requestId)),
      ("HostId", .string(host)),
      ("Code", .string(error.code)),
      ("Message", .string(error.message)),
      (
        "Recommend",
        .string(
          "https://api.aliyun.com/troubleshoot?q=\(query)&product=\(Self.troubleshootProduct(host: host))&requestId=\(requestId)"
        )
      ),
    ])
    var headers = [("content-type", "application/json;charset=utf-8"), ("x-acs-request-id", requestId)]
    if let wait = error.retryAfterMilliseconds {
      headers.append(("x-acs-retry-after", String(wait)))
    }
    return EngineResponse(status: error.status, body: body.serialized(), headers: headers)
  }

  static func hostId(row: ApiAction?, action: String, region: String) -> String {
    switch row?.product {
    case .nlb: return "nlb.\(region).aliyuncs.com"
    case .ga: return "ga.cn-hangzhou.aliyuncs.com"
    case .slb: return "slb.aliyuncs.com"
    default: break
    }
    if ApiCall.stsActions.contains(action) { return "sts.aliyuncs.com" }
    return ApiCall.casActions.contains(action) ? "cas.aliyuncs.com" : "alb.\(region).aliyuncs.com"
  }

  /// The `product=` of an error's troubleshooting link.
  static func troubleshootProduct(host: String) -> String {
    for (prefix, product) in [("cas", "cas"), ("nlb", "Nlb"), ("ga.", "Ga"), ("slb", "Slb")]
    where host.hasPrefix(prefix) {
      return product
    }
    return "Alb"
  }

  /// `AssumeRoleWithOIDC` is the one anonymous call (the OIDC token is the proof): sent without a signature it
  /// skips signature checks; sent signed, it is verified like any other call.
  static func isAnonymous(action: String, request: IncomingRequest, params: Parameters) -> Bool {
    action == "AssumeRoleWithOIDC" && request.header("authorization") == nil && params["Signature"] == nil
      && params["AccessKeyId"] == nil
  }

  /// The action's row for `version`: routing is by action and version, since several products share names.
  private func checkRoute(_ row: ApiAction?, action: String, version: String) throws(ApiError) -> ApiAction {
    if action.isEmpty { throw ApiError.missingParameter("Action") }
    guard ApiAction.exists(action) else {
      throw ApiError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    }
    if version.isEmpty { throw ApiError.missingParameter("Version") }
    guard let row else {
      throw ApiError(400, "InvalidVersion", "Specified parameter Version is not valid.")
    }
    return row
  }

  private func dispatch(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    switch call.product {
    case .nlb: return try dispatchNLB(call)
    case .ga: return try dispatchGA(call)
    case .slb: return try dispatchCLB(call)
    case .alb, .cas, .sts: break
    }
    switch call.action {
    case "ListListeners": return try listListeners(call)
    case "GetListenerAttribute": return try getListenerAttribute(call)
    case "ListListenerCertificates": return try listListenerCertificates(call)
    case "AssociateAdditionalCertificatesWithListener": return try associate(call)
    case "DissociateAdditionalCertificatesFromListener": return try dissociate(call)
    case "UpdateListenerAttribute": return try updateListenerAttribute(call)
    case "ListAsynJobs": return try listAsynJobs(call)
    case "GetLoadBalancerAttribute": return try getLoadBalancerAttribute(call)
    case "UploadUserCertificate": return try uploadUserCertificate(call)
    case "ListUserCertificateOrder": return try listUserCertificateOrder(call)
    case "GetUserCertificateDetail": return try getUserCertificateDetail(call)
    case "DeleteUserCertificate": return try deleteUserCertificate(call)
    case "GetCallerIdentity": return getCallerIdentity(call)
    case "AssumeRole": return try assumeRole(call)
    case "AssumeRoleWithOIDC": return try assumeRoleWithOIDC(call)
    default:
      throw ApiError(404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    }
  }

  // MARK: Observability

  func snapshot() -> EmulatorState {
    advanceAndPersist()
    return StateSnapshot.make(state).withServing(servingLayout, region: state.region)
  }

  func eventLog() -> [EmulatorEvent] {
    advanceAndPersist()
    return state.events
  }

  func requestLog() -> [RequestRecord] {
    requests
  }

  // MARK: Persistence

  private func advanceAndPersist() {
    advance(now: clock())
    if dirty {
      dirty = false
      persist()
    }
  }

  /// Schedules a write of the state file; writes within `persistDelay` are coalesced into one, so a
  /// burst of changes costs one write instead of one per change.
  func persist() {
    guard statePath != nil, !writeScheduled else { return }
    writeScheduled = true
    Task {
      try? await Task.sleep(for: EmulatorEngine.persistDelay)
      self.flushIfScheduled()
    }
  }

  private func flushIfScheduled() {
    if writeScheduled { flush() }
  }

  /// Writes the state file now (used at stop so no change is lost).
  func flush() {
    writeScheduled = false
    guard let path = statePath else { return }
    // A failed write must not fail the API call that caused it; the next change retries.
    try? StatePersistence.save(state, path: path)
  }
}
