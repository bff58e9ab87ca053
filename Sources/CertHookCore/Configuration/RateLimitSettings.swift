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

extension RateLimitSettings {
  /// Decodes `rateLimits:` (also spelled `rate_limits`): `concurrency`, `writesPerSecond` and per-action limits.
  public init(from decoder: any Decoder) throws {
    let fields = try ConfigurationFields(decoder, known: ["concurrency", "writesPerSecond", "actions"])
    self.init()
    if let value = try fields.int("concurrency") {
      guard value >= 1 else { throw fields.error("concurrency", "must be at least 1") }
      concurrency = try ConfigurationFields.inRange(value, Self.concurrencyRange, path: fields.at("concurrency"))
    }
    if let value = try fields.double("writesPerSecond") {
      guard value > 0 else { throw fields.error("writesPerSecond", "must be positive") }
      writesPerSecond = try ConfigurationFields.inRange(
        value, Self.writesPerSecondRange, path: fields.at("writesPerSecond"), unit: " per second")
    }
    if let node = try fields.value("actions") { actions = try Self.actionRates(node) }
  }

  /// `actions:`: limits written `N/Ts` (`1000/1s`, `200/60s`, `20/1` meaning per second), each part inside its
  /// documented range, errors naming `rateLimits.actions.<Action>`.
  private static func actionRates(_ decoder: any Decoder) throws -> [String: ActionRate] {
    let fields = try ConfigurationFields(decoder, known: knownActions)
    var result: [String: ActionRate] = [:]
    for action in fields.keys where knownActions.contains(action) {
      guard let value = try fields.value(action) else { continue }
      let text = try ConfigurationFields.string(value, path: fields.at(action)).trimmingCharacters(in: .whitespaces)
      let parts = text.split(separator: "/", omittingEmptySubsequences: false)
      var period = parts.count == 2 ? String(parts[1]) : ""
      if period.hasSuffix("s") { period.removeLast() }
      if period.isEmpty { period = "1" }
      guard parts.count == 2, let requests = Int(parts[0]), let seconds = Double(period), seconds.isFinite else {
        throw fields.error(
          action, "must be requests per period such as 1000/1s or 200/60s\(ConfigurationFields.line(value))")
      }
      result[action] = ActionRate(
        requests: try ConfigurationFields.inRange(
          requests, actionRequestsRange, path: fields.at(action), unit: " requests"),
        seconds: try ConfigurationFields.inRange(seconds, actionPeriodRange, path: fields.at(action), unit: " s"))
    }
    return result
  }
}
