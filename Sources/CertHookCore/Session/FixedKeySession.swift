import AlibabaCloud
import Foundation
import Logging

/// A session with one fixed AccessKey at the endpoints `cloud` names (the demo's in-process emulator): no
/// environment, no profile, no credential chain beyond the key; the state cache at `statePath`.
public enum FixedKeySession {
  /// Opens the session, builds the runner context (`concurrency` listeners at a time, jobs polled every
  /// `pollInterval`, waits bounded by `jobTimeout` seconds) and runs `body`; the clients are shut down after.
  public static func with<T: Sendable>(
    cloud: CloudChoices, accessKeyId: String, accessKeySecret: String, origin: String, statePath: String,
    now: Date, logger: Logger, onRetry: (@Sendable (String) -> Void)?, pollInterval: Duration, concurrency: Int,
    jobTimeout: Double, _ body: (RunnerContext) async throws -> T
  ) async throws -> T {
    var request = SessionRequestBuilder.request(cloud: cloud, configuration: nil, retries: onRetry)
    request.credentials = .keys(
      AccessCredentials(accessKeyId: accessKeyId, accessKeySecret: accessKeySecret), origin: origin)
    return try await CloudSession.with(request, environment: [:], runtime: .system, logger: logger) { session in
      let context = RunnerContext(
        backend: try session.backend(pollInterval: pollInterval),
        state: StateStore(path: statePath), now: now, logger: logger, concurrency: concurrency, jobTimeout: jobTimeout)
      return try await body(context)
    }
  }
}
