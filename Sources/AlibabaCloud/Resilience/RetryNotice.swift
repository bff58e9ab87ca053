import Foundation

/// One retry about to happen: which call, which retry out of how many, why, and after what wait. The client
/// reports it through `ClientConfiguration.onRetry`; the CLI shows it on a terminal as `retrying (n/N)`.
public struct RetryNotice: Sendable, Equatable {
  /// The API action being retried (`nlb:UpdateListenerAttribute` for a product other than ALB, CAS or STS).
  public var action: String
  /// This retry's number, from 1.
  public var retry: Int
  /// The most retries the policy allows.
  public var maxRetries: Int
  /// The fault, e.g. `Throttling.User` or `transport` (already free of secrets and control characters).
  public var reason: String
  /// The wait before the retry.
  public var delay: Duration

  /// Creates a notice.
  public init(action: String, retry: Int, maxRetries: Int, reason: String, delay: Duration) {
    self.action = action
    self.retry = retry
    self.maxRetries = maxRetries
    self.reason = reason
    self.delay = delay
  }

  /// `retrying (2/7): ListListeners after Throttling.User, in 0.4 s`.
  public var text: String {
    let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
    return "retrying (\(retry)/\(maxRetries)): \(action) after \(reason), in \(String(format: "%.1f", seconds)) s"
  }
}
