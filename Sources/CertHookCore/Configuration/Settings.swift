import Foundation

/// Where the cloud credentials come from; secrets in the file are allowed but discouraged.
///
/// Descriptions redact the secret, and encoding omits it.
public struct CredentialSettings: Sendable, Codable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
  /// Named aliyun CLI profile to use.
  public var profile: String?
  /// Use only the environment variables (`ALIBABA_CLOUD_*`).
  public var environment: Bool
  /// Access key ID (discouraged in a file; prefer the environment or a profile).
  public var accessKeyId: String?
  /// Access key secret (discouraged in a file; the file must then be mode 0600).
  public var accessKeySecret: String?

  /// Creates settings; the default uses the normal credential chain.
  public init(
    profile: String? = nil, environment: Bool = false, accessKeyId: String? = nil, accessKeySecret: String? = nil
  ) {
    self.profile = profile
    self.environment = environment
    self.accessKeyId = accessKeyId
    self.accessKeySecret = accessKeySecret
  }

  private enum CodingKeys: String, CodingKey {
    case profile, environment, accessKeyId, accessKeySecret
  }

  /// Encodes everything except the secret.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(profile, forKey: .profile)
    try c.encode(environment, forKey: .environment)
    try c.encodeIfPresent(accessKeyId, forKey: .accessKeyId)
  }

  /// A description that never shows the secret.
  public var description: String {
    "CredentialSettings(profile: \(profile ?? "-"), environment: \(environment), accessKeyId: \(accessKeyId ?? "-"), "
      + "accessKeySecret: \(accessKeySecret == nil ? "-" : "<redacted>"))"
  }

  /// Same as `description`.
  public var debugDescription: String { description }
}

/// Endpoint overrides for the ALB and CAS APIs (e.g. the emulator).
public struct EndpointSettings: Sendable, Codable, Equatable {
  /// ALB endpoint URL.
  public var alb: String?
  /// CAS endpoint URL.
  public var cas: String?
  /// Creates endpoint settings.
  public init(alb: String? = nil, cas: String? = nil) {
    self.alb = alb
    self.cas = cas
  }
}

/// How hard certhook drives the API.
public struct RateLimitSettings: Sendable, Codable, Equatable {
  /// Listeners changed at the same time (default 32).
  public var concurrency: Int
  /// Mutating calls per second (nil = the client's published defaults, adapting to throttling).
  public var writesPerSecond: Double?
  /// Creates rate-limit settings.
  public init(concurrency: Int = 32, writesPerSecond: Double? = nil) {
    self.concurrency = concurrency
    self.writesPerSecond = writesPerSecond
  }
}

/// Time limits, in seconds.
public struct TimeoutSettings: Sendable, Codable, Equatable {
  /// Longest wait for one asynchronous job or for a listener to return to Running (default 300).
  public var job: Double
  /// Longest a whole deploy hook may run (default 110, below lego's 2 minute kill).
  public var hook: Double
  /// Longest a single HTTP request may take (default 30).
  public var request: Double
  /// Creates timeout settings.
  public init(job: Double = 300, hook: Double = 110, request: Double = 30) {
    self.job = job
    self.hook = hook
    self.request = request
  }
}
