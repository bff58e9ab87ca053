import Foundation

/// The one error type of the AlibabaCloud module: API errors, transport failures, bad responses,
/// credential and configuration problems. Never carries a secret, token or signature.
public struct AlibabaCloudError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of failure this is.
  public enum Kind: String, Sendable, Equatable {
    /// The service answered with an error body (`Code`, `Message`, ...).
    case api
    /// The request never got a complete answer (connection refused/reset, timeout).
    case transport
    /// The service answered with something that is not the expected JSON.
    case invalidResponse
    /// No usable credentials could be found or fetched.
    case credentials
    /// The client was configured wrongly (endpoint, region, parameters).
    case configuration
    /// An async job or wait did not finish in time.
    case timeout
    /// An async job finished with status `Failed`.
    case jobFailed
  }

  /// What kind of failure this is.
  public var kind: Kind
  /// The API action that failed, when known.
  public var action: String?
  /// The product whose API answered, when known: several products share action names (`ListListeners`,
  /// `UpdateListenerAttribute`), and the retry decision reads that product's row. Nil reads the ALB/CAS/STS row.
  public var product: ApiAction.Product?
  /// HTTP status of the answer, when there was one.
  public var httpStatus: Int?
  /// The service's error `Code` (or the job's `ErrorCode`).
  public var code: String?
  /// A human-readable message (already free of secrets).
  public var message: String
  /// The service's `RequestId`.
  public var requestId: String?
  /// The service's `Recommend` troubleshooting link.
  public var recommend: String?
  /// The service's `HostId`.
  public var hostId: String?
  /// Milliseconds the service asked us to wait (`x-acs-retry-after`).
  public var retryAfterMilliseconds: Int?
  /// A transport error whose connection was refused: nobody listens there, so retrying for a minute only
  /// delays the answer (not retryable).
  public var connectionRefused = false

  /// Creates an error from its parts.
  public init(
    kind: Kind, action: String? = nil, product: ApiAction.Product? = nil, httpStatus: Int? = nil, code: String? = nil,
    message: String, requestId: String? = nil, recommend: String? = nil, hostId: String? = nil,
    retryAfterMilliseconds: Int? = nil
  ) {
    self.kind = kind
    self.action = action
    self.product = product
    self.httpStatus = httpStatus
    self.code = code
    self.message = message
    self.requestId = requestId
    self.recommend = recommend
    self.hostId = hostId
    self.retryAfterMilliseconds = retryAfterMilliseconds
  }

  /// The API error code, when the service sent one.
  public var apiCode: String? { code }

  /// True for the throttling codes (any code containing `Throttling`).
  public var isThrottling: Bool {
    guard let code else { return false }
    return code.contains("Throttling")
  }

  /// Codes retryable for some action besides throttling (read from `ApiAction`, the one table of them).
  public static var retryableCodes: Set<String> { ApiAction.anyRetryableCodes }


  /// Whether repeating the same request (same ClientToken, fresh signature) may succeed.
  public var isRetryable: Bool {
    switch kind {
    case .transport:
      return !connectionRefused
    case .api, .invalidResponse:
      if isThrottling { return true }
      if let code, ApiAction.isRetryable(code, action: action, product: product) { return true }
      if let status = httpStatus, status >= 500 { return true }
      return false
    case .credentials, .configuration, .timeout, .jobFailed:
      return false
    }
  }

  /// A readable one-line description.
  public var description: String {
    var text: String
    switch kind {
    case .api, .jobFailed:
      text = [productAction, code].compactMap { $0 }.joined(separator: ": ")
      text = text.isEmpty ? message : "\(text): \(message)"
    default:
      text = productAction.map { "\($0): \(message)" } ?? message
    }
    var extras: [String] = []
    if let httpStatus { extras.append("http \(httpStatus)") }
    if let requestId { extras.append("request id \(requestId)") }
    if let recommend { extras.append("see \(recommend)") }
    return extras.isEmpty ? text : "\(text) (\(extras.joined(separator: ", ")))"
  }

  /// The action, prefixed by its product when the name alone is ambiguous (`NLB UpdateListenerAttribute`); ALB,
  /// CAS and STS actions keep their bare names.
  private var productAction: String? {
    guard let action else { return nil }
    guard let product, ApiAction.limiterKey(action, product: product) != action else { return action }
    return "\(product.rawValue.uppercased()) \(action)"
  }

  /// A transport failure (retryable).
  public static func transport(_ message: String, action: String? = nil) -> AlibabaCloudError {
    AlibabaCloudError(kind: .transport, action: action, message: message)
  }

  /// A configuration error with an actionable message.
  public static func configuration(_ message: String) -> AlibabaCloudError {
    AlibabaCloudError(kind: .configuration, message: message)
  }

  /// A credentials error with an actionable message.
  public static func credentials(_ message: String) -> AlibabaCloudError {
    AlibabaCloudError(kind: .credentials, message: message)
  }

  /// A response that is not the expected JSON: status and the body truncated to 200 characters, without any
  /// secret `redactor` knows and with control characters escaped.
  public static func invalidResponse(
    action: String?, status: Int, body: [UInt8], reason: String, redactor: SecretRedactor = SecretRedactor(secrets: [])
  ) -> AlibabaCloudError {
    let text = redactor.redact(String(decoding: body, as: UTF8.self))
    let truncated = NetworkText.escaped(text.count > 200 ? String(text.prefix(200)) + "..." : text)
    return AlibabaCloudError(
      kind: .invalidResponse, action: action, httpStatus: status,
      message: "\(reason); body: \(truncated.isEmpty ? "<empty>" : truncated)")
  }
}
