import Foundation

/// Progress of a batch, for a terminal progress line.
public struct ExecutionProgress: Sendable, Equatable {
  /// Listeners finished so far.
  public var completed: Int
  /// Listeners in the batch.
  public var total: Int
  /// The listener that just finished.
  public var listenerId: String
  /// Its outcome.
  public var outcome: ListenerOutcome.Outcome

  /// Creates a progress value.
  public init(completed: Int, total: Int, listenerId: String, outcome: ListenerOutcome.Outcome) {
    self.completed = completed
    self.total = total
    self.listenerId = listenerId
    self.outcome = outcome
  }
}
