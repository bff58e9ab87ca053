import Foundation

/// Connects one producer (the walk), worker threads and one consumer: the producer appends batches of
/// walk items, workers take them in order and deliver results, and the consumer receives the results in
/// batch order. At most `window` batches are produced but not yet consumed, so memory stays bounded.
///
/// `@unchecked Sendable` because every field is guarded by `condition`: worker threads block in `wait()` until
/// the producer or consumer broadcasts, which a lock box (`NIOLockedValueBox`) cannot express, and CertificateKit
/// links no NIO.
final class OrderedPipeline: @unchecked Sendable {
  private let window: Int
  private let condition = NSCondition()
  private var pending: [(number: Int, items: [ScanWalkItem])] = []
  private var pendingStart = 0
  private var produced = 0
  private var consumed = 0
  private var finished = false
  private var ready: [Int: [FileOutcome]] = [:]

  init(window: Int) {
    self.window = window
  }

  /// Adds a batch, waiting while the consumer is `window` batches behind.
  func produce(_ items: [ScanWalkItem]) {
    condition.lock()
    defer { condition.unlock() }
    while produced - consumed >= window { condition.wait() }
    pending.append((produced, items))
    produced += 1
    condition.broadcast()
  }

  /// No more batches will come.
  func finish() {
    condition.lock()
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  /// The next batch for a worker, waiting for one; nil when the producer has finished and all are taken.
  func take() -> (number: Int, items: [ScanWalkItem])? {
    condition.lock()
    defer { condition.unlock() }
    while pendingStart == pending.count && !finished { condition.wait() }
    guard pendingStart < pending.count else { return nil }
    let batch = pending[pendingStart]
    pending[pendingStart].items = []
    pendingStart += 1
    if pendingStart > 1024 && pendingStart * 2 > pending.count {
      pending.removeFirst(pendingStart)
      pendingStart = 0
    }
    return batch
  }

  /// A worker's results for batch `number`.
  func deliver(_ number: Int, _ outcomes: [FileOutcome]) {
    condition.lock()
    ready[number] = outcomes
    condition.broadcast()
    condition.unlock()
  }

  /// The consumer's next batch in order, waiting for it; nil after the last one.
  func next() -> [FileOutcome]? {
    condition.lock()
    defer { condition.unlock() }
    while ready[consumed] == nil && !(finished && consumed == produced) { condition.wait() }
    guard let outcomes = ready.removeValue(forKey: consumed) else { return nil }
    consumed += 1
    condition.broadcast()
    return outcomes
  }
}
