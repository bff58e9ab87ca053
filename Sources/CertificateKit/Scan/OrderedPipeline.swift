import Foundation

/// Hands batch numbers to worker threads and gives their results back to one consumer in batch order,
/// keeping at most `window` batches taken but not yet consumed.
final class OrderedPipeline: @unchecked Sendable {
  let batches: Int
  private let window: Int
  private let condition = NSCondition()
  private var taken = 0
  private var consumed = 0
  private var ready: [Int: [FileOutcome]] = [:]

  init(batches: Int, window: Int) {
    self.batches = batches
    self.window = window
  }

  /// The next batch for a worker, waiting while the consumer is `window` batches behind; nil when all are taken.
  func take() -> Int? {
    condition.lock()
    defer { condition.unlock() }
    while taken < batches && taken - consumed >= window { condition.wait() }
    guard taken < batches else { return nil }
    taken += 1
    return taken - 1
  }

  /// A worker's results for `batch`.
  func deliver(_ batch: Int, _ outcomes: [FileOutcome]) {
    condition.lock()
    ready[batch] = outcomes
    condition.broadcast()
    condition.unlock()
  }

  /// The consumer's next batch in order, waiting for it; nil after the last.
  func next() -> [FileOutcome]? {
    condition.lock()
    defer { condition.unlock() }
    guard consumed < batches else { return nil }
    while ready[consumed] == nil { condition.wait() }
    let outcomes = ready.removeValue(forKey: consumed)
    consumed += 1
    condition.broadcast()
    return outcomes
  }
}
