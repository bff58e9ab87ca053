import Foundation
import Logging

/// Sends RPC-style calls (`POST /`, parameters in the query) to one product endpoint.
///
/// The order of work for every call, written down once: rate limiter -> credentials -> sign (fresh
/// date + nonce) -> send -> map the answer to JSON or `AlibabaCloudError` -> retry transport faults, throttling
/// and server errors (same parameters, so the same `ClientToken`) after backoff; "resource busy" answers are
/// returned to the caller, which owns that retry.
public struct AcsRPCClient: Sendable {
  /// Where parameters travel.
  public enum ParameterLocation: Sendable {
    /// In the URL query string (what the official SDK does).
    case query
    /// In an `application/x-www-form-urlencoded` body (used for private keys, so they stay out of URLs).
    case formBody
  }

  /// The product endpoint.
  public let endpoint: URL
  /// The API version, e.g. `2020-06-16`.
  public let version: String
  /// Where credentials come from.
  public let credentials: any CredentialProvider
  /// The HTTP transport.
  public let transport: any HTTPTransport
  /// Shared settings.
  public let configuration: ClientConfiguration
  /// The product of `version` (nil for a version outside the action table): its rows decide retries and busy
  /// answers, and its actions get their own rate-limit buckets.
  public var product: ApiAction.Product? { ApiAction.Product(version: version) }

  /// Creates a client for one endpoint and API version.
  public init(
    endpoint: URL, version: String, credentials: any CredentialProvider, transport: any HTTPTransport,
    configuration: ClientConfiguration
  ) {
    self.endpoint = endpoint
    self.version = version
    self.credentials = credentials
    self.transport = transport
    self.configuration = configuration
  }

  /// Calls `action` with `parameters`, retrying per the policy; returns the JSON body.
  public func call(
    _ action: String, parameters: [(String, String)], location: ParameterLocation = .query
  ) async throws -> JSONValue {
    let runtime = configuration.runtime
    let policy = configuration.retryPolicy
    let logger = configuration.logger
    let product = self.product
    // Rate limits and metrics per product and action: NLB's ListListeners never spends ALB's budget.
    let key = ApiAction.limiterKey(action, product: product)
    // The total-time cap counts from the first send, not from when the call queued at the limiter.
    var started: Date?
    var attempt = 0
    while true {
      attempt += 1
      try await configuration.rateLimiter.acquire(key)
      if started == nil { started = runtime.now() }
      await configuration.metrics.recordAttempt(action: key, retry: attempt > 1)
      let sentAt = runtime.now()
      do {
        let result = try await attemptOnce(action, parameters: parameters, location: location, attempt: attempt)
        await configuration.rateLimiter.recordSuccess(key, sentAt: sentAt)
        await configuration.metrics.recordResult(action: key, code: ClientMetrics.successCode)
        return result
      } catch var error as AlibabaCloudError {
        if error.product == nil { error.product = product }
        await configuration.metrics.recordResult(action: key, code: error.code ?? error.kind.rawValue)
        var paced = false
        if error.isThrottling {
          await configuration.metrics.recordThrottled(action: key)
          paced = await configuration.rateLimiter.recordThrottled(key, sentAt: sentAt)
        } else if error.kind == .api {
          // The server answered without throttling: for rate purposes the request was accepted.
          await configuration.rateLimiter.recordSuccess(key, sentAt: sentAt)
        }
        let elapsed = Duration.milliseconds(Int64(runtime.now().timeIntervalSince(started ?? runtime.now()) * 1000))
        let delay = policy.delay(
          forRetry: attempt, retryAfterMilliseconds: error.retryAfterMilliseconds, random: runtime.random(),
          busy: error.code.map { ApiAction.isBusy($0, action: action, product: product) } ?? false, paced: paced)
        // One retry layer per fault: a busy *listener* (a state the executor can watch) goes back to the caller at
        // once; the deployment executor waits for the listener to be Running and re-sends, a bounded number of
        // times. The client repeats what only time cures: transport faults, throttling, server errors, a briefly
        // busy ALB load balancer (what Terraform retries around UpdateListenerAttribute) and the busy codes of the
        // other products' rows (NLB locks, GA's accelerator lock, a configuring CLB), read for this product.
        let listenerBusy = error.code.map { ApiAction.isHandedBack($0, product: product) } ?? false
        guard error.isRetryable, !listenerBusy, policy.allowsRetry(afterAttempt: attempt, elapsed: elapsed, delay: delay) else {
          // A passing dry run answers with an error code, but it is the expected outcome.
          if error.code != "DryRunOperation" {
            await configuration.metrics.recordFailure(action: key)
          }
          logger.debug(
            "call failed",
            metadata: [
              "action": "\(key)", "attempt": "\(attempt)", "code": "\(error.code ?? error.kind.rawValue)",
              "requestId": "\(error.requestId ?? "-")",
            ])
          throw error
        }
        logger.debug(
          "retrying",
          metadata: [
            "action": "\(key)", "attempt": "\(attempt)", "code": "\(error.code ?? error.kind.rawValue)",
            "requestId": "\(error.requestId ?? "-")", "delayMs": "\(Int(RetryPolicy.seconds(delay) * 1000))",
          ])
        configuration.onRetry?(
          RetryNotice(
            action: key, retry: attempt, maxRetries: policy.maxAttempts - 1,
            reason: error.code ?? (error.kind == .transport ? "a network fault" : error.kind.rawValue), delay: delay))
        try await runtime.sleep(delay)
      }
    }
  }

  private func attemptOnce(
    _ action: String, parameters: [(String, String)], location: ParameterLocation, attempt: Int
  ) async throws -> JSONValue {
    guard let creds = try await credentials.credentials() else {
      throw AlibabaCloudError.credentials("no alibaba cloud credentials found (\(credentials.lookupDescription))")
    }
    let runtime = configuration.runtime
    let encoded = AcsPercentEncoding.canonicalQuery(parameters)
    var query: [(String, String)] = []
    var body: [UInt8] = []
    var headers: [(String, String)] = [
      ("host", hostHeader), ("x-acs-action", action), ("x-acs-version", version),
      ("accept", "application/json"), ("user-agent", configuration.userAgent),
    ]
    switch location {
    case .query:
      query = parameters
    case .formBody:
      body = Array(encoded.utf8)
      headers.append(("content-type", "application/x-www-form-urlencoded"))
    }
    let signed = ACS3Signature.sign(
      method: "POST", path: "/", query: query, headers: headers, body: body, credentials: creds,
      date: runtime.now(), nonce: runtime.nonce())
    try Self.checkSendable(signed, action: action)
    let queryString = location == .query ? encoded : ""
    let request = HTTPRequestSpec(method: "POST", url: try requestURL(query: queryString), headers: signed, body: body)
    let redactor = SecretRedactor(
      credentials: creds, authorization: request.header("authorization"), parameters: parameters)
    configuration.logger.trace(
      "sending", metadata: ["action": "\(action)", "attempt": "\(attempt)", "parameters": "\(parameters.map { $0.0 })"])
    let response: HTTPResponseSpec
    do {
      response = try await transport.send(request)
    } catch var error as AlibabaCloudError {
      error.action = error.action ?? action
      error.message = redactor.clean(error.message)
      throw error
    }
    return try interpret(response, action: action, attempt: attempt, redactor: redactor)
  }

  /// A request whose header values hold control or non-ASCII bytes cannot be sent: a configuration error, never
  /// retried, naming the header but not its value.
  static func checkSendable(_ headers: [(String, String)], action: String) throws {
    for (name, value) in headers {
      guard let offset = CredentialValidation.firstUnsendableByte(value) else { continue }
      throw AlibabaCloudError(
        kind: .configuration, action: action,
        message: "the request cannot be built: header \(name) holds a control character or a non-ASCII byte "
          + "(at byte \(offset + 1)); nothing was sent")
    }
  }

  func interpret(
    _ response: HTTPResponseSpec, action: String, attempt: Int, redactor: SecretRedactor
  ) throws -> JSONValue {
    let json = JSONValue.parse(response.body)
    if (200..<300).contains(response.status) {
      guard let json, case .object = json else {
        throw AlibabaCloudError.invalidResponse(
          action: action, status: response.status, body: response.body, reason: "answer is not a JSON object",
          redactor: redactor)
      }
      // (The metadata is built only when debug logging is on: a success's RequestId is not cleaned otherwise.)
      configuration.logger.debug(
        "response",
        metadata: [
          "action": "\(action)", "attempt": "\(attempt)",
          "requestId": "\(json["RequestId"]?.string.map(redactor.clean) ?? "-")",
        ])
      return json
    }
    let requestId = json?["RequestId"]?.string.map(redactor.clean)
    let retryAfter = response.header("x-acs-retry-after").flatMap { Int($0.trimmingSpaces) }
    guard let json, let code = json["Code"]?.string.map(redactor.clean), !code.isEmpty else {
      var error = AlibabaCloudError.invalidResponse(
        action: action, status: response.status, body: response.body,
        reason: "http \(response.status) without an error code", redactor: redactor)
      error.retryAfterMilliseconds = retryAfter
      throw error
    }
    configuration.logger.debug(
      "error response",
      metadata: ["action": "\(action)", "attempt": "\(attempt)", "requestId": "\(requestId ?? "-")", "code": "\(code)"])
    throw AlibabaCloudError(
      kind: .api, action: action, httpStatus: response.status, code: code,
      message: redactor.clean(Self.redactStringToSign(json["Message"]?.string ?? "")), requestId: requestId,
      recommend: json["Recommend"]?.string.map(redactor.clean), hostId: json["HostId"]?.string.map(redactor.clean),
      retryAfterMilliseconds: retryAfter)
  }

  /// `SignatureDoesNotMatch` messages quote the server's string to sign: harmless, but keep only the prose.
  static func redactStringToSign(_ message: String) -> String {
    guard let range = message.range(of: "server string to sign is:", options: .caseInsensitive) else { return message }
    return String(message[..<range.lowerBound]) + "server string to sign is: <omitted>"
  }

  private var hostHeader: String {
    let host = endpoint.host ?? ""
    let bracketed = host.contains(":") ? "[\(host)]" : host
    if let port = endpoint.port { return "\(bracketed):\(port)" }
    return bracketed
  }

  private func requestURL(query: String) throws -> URL {
    var base = endpoint.absoluteString
    if let q = base.firstIndex(of: "?") { base = String(base[..<q]) }
    if !base.hasSuffix("/") { base += "/" }
    let text = query.isEmpty ? base : "\(base)?\(query)"
    guard let url = URL(string: text) else {
      throw AlibabaCloudError.configuration("cannot build a request url from endpoint \(endpoint.absoluteString)")
    }
    return url
  }
}
