import Foundation
import Logging

/// Keeps one provider's temporary credentials fresh for a long run: the cached value is served until its refresh
/// time, `Expiration - margin - jitter` (margin a quarter of the lifetime, at most 15 minutes; jitter up to a
/// twentieth of it, at most 60 s, drawn from the injected randomness), and then fetched again by exactly one call
/// while every concurrent request waits for that same fetch. A failed fetch is tried `attempts` times (only
/// network faults, throttling and server errors are worth repeating), then reported naming the provider and what
/// it asked for; secrets and tokens never appear in the message.
public actor CredentialRefresher {
  /// The provider's name, e.g. `ram-role-arn`.
  public nonisolated let providerName: String
  /// What is fetched, e.g. the role ARN (never a secret).
  public nonisolated let subject: String
  private let runtime: ClientRuntime
  private let attempts: Int
  private let logger: Logger
  private let fetch: @Sendable () async throws -> AccessCredentials
  private var cached: AccessCredentials?
  private var refreshAt: Date?
  private var inFlight: Task<AccessCredentials, any Error>?
  /// The code of a reported failure; the credential chain stops on it rather than sign as another identity.
  public static let failureCode = "CredentialRefreshFailed"
  /// How many fetches succeeded (for tests and `-vv` output).
  public private(set) var fetchCount = 0

  /// Creates a refresher for `fetch`; `attempts` is at least 1.
  public init(
    providerName: String, subject: String, runtime: ClientRuntime, attempts: Int = 3,
    logger: Logger = Logger(label: "certhook.credentials"),
    fetch: @escaping @Sendable () async throws -> AccessCredentials
  ) {
    self.providerName = providerName
    self.subject = subject
    self.runtime = runtime
    self.attempts = max(1, attempts)
    self.logger = logger
    self.fetch = fetch
  }

  /// The cached credentials while fresh, else the result of the one fetch in flight (started if none is).
  public func credentials() async throws -> AccessCredentials {
    if let cached, let refreshAt, runtime.now() < refreshAt { return cached }
    if let cached, refreshAt == nil, cached.expiration == nil { return cached }
    let task: Task<AccessCredentials, any Error>
    if let inFlight {
      task = inFlight
    } else {
      task = Task { try await self.refresh() }
      inFlight = task
    }
    return try await task.value
  }

  /// When the cached credentials will be fetched again (nil before the first fetch or without an expiry).
  public func nextRefresh() -> Date? { refreshAt }

  /// The refresh time of credentials fetched at `fetchedAt` that expire at `expiration`, with `random` in [0, 1).
  public static func refreshTime(fetchedAt: Date, expiration: Date, random: Double) -> Date {
    let lifetime = max(0, expiration.timeIntervalSince(fetchedAt))
    let margin = min(15 * 60, lifetime / 4)
    let jitter = min(60, lifetime / 20) * min(max(random, 0), 1)
    return expiration.addingTimeInterval(-(margin + jitter))
  }

  private func refresh() async throws -> AccessCredentials {
    defer { inFlight = nil }
    var attempt = 0
    while true {
      attempt += 1
      do {
        let fetchedAt = runtime.now()
        let fresh = try await fetch()
        cached = fresh
        refreshAt = fresh.expiration.map {
          Self.refreshTime(fetchedAt: fetchedAt, expiration: $0, random: runtime.random())
        }
        fetchCount += 1
        logger.debug(
          "credentials refreshed",
          metadata: [
            "provider": "\(providerName)", "accessKeyId": "\(fresh.maskedAccessKeyId)",
            "expiration": "\(fresh.expiration.map(AcsTimestamp.iso8601) ?? "-")",
          ])
        return fresh
      } catch {
        let retryable = (error as? AlibabaCloudError)?.isRetryable ?? false
        guard retryable, attempt < attempts, !(error is CancellationError) else {
          throw report(error, attempts: attempt)
        }
        logger.warning(
          "refreshing credentials failed, retrying",
          metadata: ["provider": "\(providerName)", "attempt": "\(attempt)", "error": "\(Self.summary(error))"])
        try await runtime.sleep(.seconds(1 << (attempt - 1)))
      }
    }
  }

  private func report(_ error: any Error, attempts: Int) -> AlibabaCloudError {
    let tries = attempts == 1 ? "" : " after \(attempts) attempts"
    var reported = AlibabaCloudError(
      kind: .credentials, code: Self.failureCode,
      message: "\(providerName) (\(subject)): cannot get credentials\(tries): \(Self.summary(error))")
    if let cloud = error as? AlibabaCloudError {
      reported.requestId = cloud.requestId
      reported.httpStatus = cloud.httpStatus
    }
    return reported
  }

  private static func summary(_ error: any Error) -> String {
    guard let cloud = error as? AlibabaCloudError else { return "\(error)" }
    if let code = cloud.code, cloud.kind == .api {
      return "\(cloud.action.map { "\($0) " } ?? "")answered \(code): \(cloud.message)"
    }
    return cloud.message
  }
}
