import Foundation

/// Waits for a cloud resource to reach a state by polling on the injected clock: check, and until the check
/// answers a result, sleep `interval` and check again, at most until `timeout` has passed.
///
/// Rule it keeps: every wait ends, in a result or a `.timeout` error naming the action, the product and the last
/// state seen; no wait reads the wall clock.
struct StatePolling: Sendable {
  /// The clock and sleep.
  var runtime: ClientRuntime
  /// The longest wait.
  var timeout: Duration
  /// The pause between checks.
  var interval: Duration

  /// Runs `check` until it returns a result; `check` answers `(result, state)`, the state being what the timeout
  /// message shows (`still <state> after <timeout>`).
  func until<T>(
    action: String, product: ApiAction.Product?, subject: String,
    _ check: () async throws -> (result: T?, state: String)
  ) async throws -> T {
    let deadline = runtime.now().addingTimeInterval(RetryPolicy.seconds(timeout))
    while true {
      let (result, state) = try await check()
      if let result { return result }
      guard runtime.now() < deadline else {
        throw AlibabaCloudError(
          kind: .timeout, action: action, product: product,
          message: "\(subject) still \(NetworkText.escaped(state)) after \(timeout)")
      }
      try await runtime.sleep(interval)
    }
  }
}
