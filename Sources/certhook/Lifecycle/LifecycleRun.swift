import CertHookCore

/// What a lifecycle command gets to work with: the runner context, the configuration (if any) and the state path.
struct LifecycleRun: Sendable {
  /// The open session (its runner context and API counts).
  let session: RunSession
  /// The configuration file, when one was found.
  let configuration: LoadedConfiguration?

  /// Cloud backend, state cache, clock value, logger and progress callback.
  var context: RunnerContext { session.context }
  /// The state cache path in use.
  var statePath: String { session.statePath }
  /// The API attempts, retries and result codes of this run so far (for `--metrics-file`).
  func metrics() async -> APIUsage { await session.apiUsage() }
}
