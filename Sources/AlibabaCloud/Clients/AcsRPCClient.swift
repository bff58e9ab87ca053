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
    // The total-time cap counts from the first send, not from when the call queued at the limiter.
    var started: Date?
    var attempt = 0
    while true {
      attempt += 1
      try await configuration.rateLimiter.acquire(action)
      if started == nil { started = runtime.now() }
      await configuration.metrics.recordAttempt(action: action, retry: attempt > 1)
      let sentAt = runtime.now()
      do {
        let result = try await attemptOnce(action, parameters: parameters, location: location, attempt: attempt)
        await configuration.rateLimiter.recordSuccess(action, sentAt: sentAt)
        return result
      } catch let error as AlibabaCloudError {
        if error.isThrottling {
          await configuration.metrics.recordThrottled(action: action)
          await configuration.rateLimiter.recordThrottled(action)
        } else if error.kind == .api {
          // The server answered without throttling: for rate purposes the request was accepted.
          await configuration.rateLimiter.recordSuccess(action, sentAt: sentAt)
        }
        let elapsed = Duration.milliseconds(Int64(runtime.now().timeIntervalSince(started ?? runtime.now()) * 1000))
        let delay = policy.delay(
          forRetry: attempt, retryAfterMilliseconds: error.retryAfterMilliseconds, random: runtime.random())
        // One retry layer: a "resource busy" answer goes back to the caller at once (the deployment executor waits
        // for the listener to be Running and re-sends, a bounded number of times); the client only repeats
        // transport faults, throttling and server errors.
        let busy = error.code.map { RetryPolicy.busyCodes.contains($0) } ?? false
        guard error.isRetryable, !busy, policy.allowsRetry(afterAttempt: attempt, elapsed: elapsed, delay: delay) else {
          // A passing dry run answers with an error code, but it is the expected outcome.
          if error.code != "DryRunOperation" {
            await configuration.metrics.recordFailure(action: action)
          }
          logger.debug(
            "call failed",
            metadata: [
              "action": "\(action)", "attempt": "\(attempt)", "code": "\(error.code ?? error.kind.rawValue)",
              "requestId": "\(error.requestId ?? "-")",
            ])
          throw error
        }
        logger.debug(
          "retrying",
          metadata: [
            "action": "\(action)", "attempt": "\(attempt)", "code": "\(error.code ?? error.kind.rawValue)",
            "requestId": "\(error.requestId ?? "-")", "delayMs": "\(Int(RetryPolicy.seconds(delay) * 1000))",
          ])
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
    let queryString = location == .query ? encoded : ""
    let request = HTTPRequestSpec(method: "POST", url: try requestURL(query: queryString), headers: signed, body: body)
    configuration.logger.trace(
      "sending", metadata: ["action": "\(action)", "attempt": "\(attempt)", "parameters": "\(parameters.map { $0.0 })"])
    let response: HTTPResponseSpec
    do {
      response = try await transport.send(request)
    } catch var error as AlibabaCloudError {
      error.action = error.action ?? action
      throw error
    }
    return try interpret(response, action: action, attempt: attempt)
  }

  private func interpret(_ response: HTTPResponseSpec, action: String, attempt: Int) throws -> JSONValue {
    let json = JSONValue.parse(response.body)
    let requestId = json?["RequestId"]?.string
    let retryAfter = response.header("x-acs-retry-after").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    if (200..<300).contains(response.status) {
      guard let json, case .object = json else {
        throw AlibabaCloudError.invalidResponse(
          action: action, status: response.status, body: response.body, reason: "answer is not a JSON object")
      }
      configuration.logger.debug(
        "response", metadata: ["action": "\(action)", "attempt": "\(attempt)", "requestId": "\(requestId ?? "-")"])
      return json
    }
    guard let json, let code = json["Code"]?.string, !code.isEmpty else {
      var error = AlibabaCloudError.invalidResponse(
        action: action, status: response.status, body: response.body, reason: "http \(response.status) without an error code")
      error.retryAfterMilliseconds = retryAfter
      throw error
    }
    configuration.logger.debug(
      "error response",
      metadata: ["action": "\(action)", "attempt": "\(attempt)", "requestId": "\(requestId ?? "-")", "code": "\(code)"])
    throw AlibabaCloudError(
      kind: .api, action: action, httpStatus: response.status, code: code,
      message: Self.redactStringToSign(json["Message"]?.string ?? ""), requestId: requestId,
      recommend: json["Recommend"]?.string, hostId: json["HostId"]?.string, retryAfterMilliseconds: retryAfter)
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
