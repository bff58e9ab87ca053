import Foundation

/// How hard certhook drives the API, each setting inside its documented range.
public struct RateLimitSettings: Sendable, Codable, Equatable {
  /// Accepted `concurrency` values.
  public static let concurrencyRange: ClosedRange<Int> = 1...1000
  /// Accepted `writesPerSecond` values, 0.01 to 1,000: the range `SessionTuning` clamps to (a test checks they
  /// agree; the configuration slice imports only Foundation and Yams, so the fuzzer can build it alone).
  public static let writesPerSecondRange: ClosedRange<Double> = 0.01...1000

  /// Actions `actions:` may name (a test checks each is in the client's action table and every write is here;
  /// the configuration slice cannot import that table).
  public static let knownActions: Set<String> = [
    "ListListeners", "GetListenerAttribute", "ListListenerCertificates", "AssociateAdditionalCertificatesWithListener",
    "DissociateAdditionalCertificatesFromListener", "UpdateListenerAttribute", "ListAsynJobs",
    "GetLoadBalancerAttribute", "UploadUserCertificate", "ListUserCertificateOrder", "GetUserCertificateDetail",
    "DeleteUserCertificate", "GetCallerIdentity",
    // NLB, GA and CLB (issue 13).
    "DisassociateAdditionalCertificatesWithListener", "GetJobStatus", "DescribeListener",
    "UpdateAdditionalCertificateWithListener", "UpdateListener", "DescribeAccelerator",
    "DescribeLoadBalancerHTTPSListenerAttribute", "SetLoadBalancerHTTPSListenerAttribute", "UploadServerCertificate",
    "DescribeServerCertificates", "DeleteServerCertificate", "CreateDomainExtension", "DescribeDomainExtensions",
    "SetDomainExtensionAttribute", "DeleteDomainExtension",
  ]
  /// Accepted requests per `actions:` entry and period, in seconds.
  public static let actionRequestsRange: ClosedRange<Int> = 1...100_000
  public static let actionPeriodRange: ClosedRange<Double> = 0.01...86_400

  /// One action's limit as the account really has it (`N/Ts`): `requests` per `seconds`.
  public struct ActionRate: Sendable, Codable, Equatable {
    /// Requests allowed per period.
    public var requests: Int
    /// The period, in seconds.
    public var seconds: Double
    /// Creates a rate.
    public init(requests: Int, seconds: Double) {
      self.requests = requests
      self.seconds = seconds
    }
  }

  /// Listeners changed at the same time (default 32).
  public var concurrency: Int
  /// Mutating calls per second (nil = the client's published defaults, adapting to throttling).
  public var writesPerSecond: Double?
  /// Per-action limits that replace the published ones (an account whose API quotas were raised, or an emulator):
  /// unlike `writesPerSecond`, these may be above the published limits.
  public var actions: [String: ActionRate] = [:]
  /// Creates rate-limit settings.
  public init(concurrency: Int = 32, writesPerSecond: Double? = nil) {
    self.concurrency = concurrency
    self.writesPerSecond = writesPerSecond
  }
}
