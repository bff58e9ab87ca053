import AlibabaCloud
import CertHookCore

/// What a lifecycle command gets to work with: the runner context, the configuration (if any) and the state path.
struct LifecycleRun: Sendable {
  /// Cloud backend, state cache, clock value, logger and progress callback.
  let context: RunnerContext
  /// The configuration file, when one was found.
  let configuration: LoadedConfiguration?
  /// The state cache path in use.
  let statePath: String
  /// The API attempts, retries and result codes of this run (for `--metrics-file`).
  var metrics = ClientMetrics()
}
