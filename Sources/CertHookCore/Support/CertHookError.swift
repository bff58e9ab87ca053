import Foundation

// The configuration fuzzer compiles the configuration slice of this module with this file and without the cloud
// client (Fuzz/fuzz.sh): there the typed API case is left out.
#if canImport(AlibabaCloud)
  import AlibabaCloud
#endif

/// Every error the lifecycle engine throws, with a lowercase, actionable message.
public enum CertHookError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The configuration file is invalid at `path` (a key path such as `deployments[1].targets[0].listener`).
  case configuration(path: String, message: String)
  /// The ACME client that called the hook could not be identified, or handed over incomplete data.
  case hookDetection(String)
  /// A local certificate or key file could not be loaded.
  case certificate(String)
  /// The certificate was inspected and refused before any API call.
  case refused(reasons: [String])
  /// The local state cache could not be read, locked or written.
  case state(String)
  /// A cloud API call failed; `code` is the API error code when there is one (in-memory backends and
  /// certhook's own checks; the Alibaba Cloud backend throws `.api` instead, which keeps every fact).
  case cloud(code: String?, message: String)
  #if canImport(AlibabaCloud)
    /// An Alibaba Cloud API call failed: the typed error with its kind, code, HTTP status and RequestId.
    case api(AlibabaCloudError)
  #endif
  /// The load balancer's additional-certificate quota is full.
  case quotaExceeded(loadBalancerId: String, usage: Int, quota: Int?, detail: String)
  /// The caller passed an unusable argument.
  case invalidArgument(String)
  /// No deployment in the configuration matches the certificate.
  case noMatchingDeployment(String)
  /// A wait or the whole run exceeded its time limit.
  case timeout(String)

  /// A readable, lowercase message naming the file, field or resource involved.
  public var description: String {
    switch self {
    case .configuration(let path, let message):
      return path.isEmpty ? "configuration: \(message)" : "configuration: \(path): \(message)"
    case .hookDetection(let message):
      return "hook: \(message)"
    case .certificate(let message):
      return "certificate: \(message)"
    case .refused(let reasons):
      return "refused to deploy (nothing was changed): " + reasons.joined(separator: "; ")
    case .state(let message):
      return "state: \(message)"
    case .cloud(let code, let message):
      if let code { return "cloud api error \(code): \(message)" }
      return "cloud api error: \(message)"
    #if canImport(AlibabaCloud)
      case .api(let error):
        if let code = error.code { return "cloud api error \(code): \(error.description)" }
        return "cloud api error: \(error.description)"
    #endif
    case .quotaExceeded(let lb, let usage, let quota, let detail):
      let limit = quota.map { "/\($0)" } ?? ""
      // CLB's quota is the domain extensions of each HTTPS listener, not certificates per instance.
      let name = ListenerProduct(key: lb) == .clb ? "domain extensions per CLB listener" : "LoadBalancerCertificatesNum"
      return "quota of additional certificates on load balancer \(lb) is full (usage \(usage)\(limit), "
        + "quota name \(name)): \(detail); retire certificates or raise the quota"
    case .invalidArgument(let message):
      return "invalid argument: \(message)"
    case .noMatchingDeployment(let message):
      return "no matching deployment: \(message)"
    case .timeout(let message):
      return "timed out: \(message)"
    }
  }

  /// The cloud API error code carried by this error, when it is a cloud error.
  public var apiCode: String? {
    switch self {
    case .cloud(let code, _): return code
    #if canImport(AlibabaCloud)
      case .api(let error): return error.code
    #endif
    default: return nil
    }
  }

  /// The service's message for a cloud error (without code or RequestId), when it is one.
  public var apiMessage: String? {
    switch self {
    case .cloud(_, let message): return message
    #if canImport(AlibabaCloud)
      case .api(let error): return error.message
    #endif
    default: return nil
    }
  }

  #if canImport(AlibabaCloud)
    /// The typed Alibaba Cloud error behind this error, when there is one.
    public var cloudError: AlibabaCloudError? {
      if case .api(let error) = self { return error }
      return nil
    }

    /// The `RequestId` of the failed API call, when the service answered (operators quote it to support).
    public var requestId: String? { cloudError?.requestId }
  #endif
}
