import Foundation
import NIOConcurrencyHelpers

/// Recording a run's facts: a group commit of concurrent recorders, written behind during a `sync` run.
///
/// Rules it keeps: a recorder's change is in memory when `recordOrWarn` returns; outside `writingBehind` it is on
/// disk too; inside, it reaches the disk at most `writeBehindSeconds` later and when the run ends; changes reach the
/// file in the order they were recorded (an `update` writes the queued ones first); a write that fails is a
/// warning, never an error of the run; the stores of one process that share a file share its writes (a fleet run
/// opens a store per session: 60 stores each replacing the whole file four times a second spent a fifth of the run's
/// CPU encoding it).
extension StateStore {
  /// Records `change` for a run's many concurrent recorders. A cache that cannot be written is a warning (once per
  /// message), not an error: the change still applies in memory.
  ///
  /// Normally a group commit: changes queued while a write is under way go to disk together in the next write (one
  /// lock, one read, one encode, one `fsync` for the batch), on a writer thread outside the cooperative pool, and
  /// the caller resumes once its change is on disk. Inside `writingBehind` (a whole sync run) the caller does not
  /// wait: the change applies in memory at once and reaches the disk with the others at most `writeBehindSeconds`
  /// later, and when the run ends; a crash loses at most that much of the cache, which CAS can always rebuild.
  public func recordOrWarn(_ change: @escaping @Sendable (inout StateSnapshot) -> Void) async {
    if state.withLockedValue({ $0.writeBehindScopes > 0 }) {
      enqueue(change, continuation: nil)
      return
    }
    let result: Result<Void, Error> = await withCheckedContinuation { continuation in
      enqueue(change, continuation: continuation)
    }
    if case .failure(let error) = result { warn(error) }
  }

  /// Runs `body` with the run's records written behind (see `recordOrWarn`), then writes what is still queued
  /// (inside `SharedStateWrites.together`, that write is left to the end of the whole fleet run).
  public func writingBehind<T>(_ body: () async throws -> T) async rethrows -> T {
    state.withLockedValue { $0.writeBehindScopes += 1 }
    defer {
      state.withLockedValue { $0.writeBehindScopes -= 1 }
      if path == nil || !SharedStateWrites.isTogether { flush() }
    }
    return try await body()
  }

  /// How many times this store replaced the file (for tests of the group commit).
  var fileWrites: Int { state.withLockedValue { $0.fileWrites } }
  /// Changes recorded and not yet written (queued, or taken by the writer).
  var pendingChanges: Int { state.withLockedValue { $0.queued.count + $0.beingWritten } }

  /// Writes every queued change now (the end of a run).
  public func flush() {
    Self.writing.withLock { writeQueued() }
  }

  private func enqueue(
    _ change: @escaping @Sendable (inout StateSnapshot) -> Void,
    continuation: CheckedContinuation<Result<Void, Error>, Never>?
  ) {
    if continuation == nil, let path {
      // Written behind: the file's one writer takes it with every other store's (`SharedStateWrites`).
      state.withLockedValue { s in
        change(&s.current)
        s.queued.append(QueuedChange(change: change, continuation: nil))
      }
      SharedStateWrites.queue(self, path: path)
      return
    }
    let startsWriter = state.withLockedValue { s -> Bool in
      if continuation == nil { change(&s.current) }
      s.queued.append(QueuedChange(change: change, continuation: continuation))
      defer { s.writerActive = true }
      return !s.writerActive
    }
    if startsWriter { scheduleWriter() }
  }

  /// Wakes the writer: at once when a recorder waits for the disk, else after `writeBehindSeconds` to gather more.
  private func scheduleWriter() {
    let someoneWaits = state.withLockedValue { s in s.queued.contains { $0.continuation != nil } }
    if someoneWaits {
      Self.writerQueue.async { self.drainQueue() }
    } else {
      Self.writerQueue.asyncAfter(deadline: .now() + Self.writeBehindSeconds) { self.drainQueue() }
    }
  }

  /// The writer: writes what is queued, and again later if more arrived meanwhile.
  private func drainQueue() {
    Self.writing.withLock { writeQueued() }
    let more = state.withLockedValue { s -> Bool in
      if s.queued.isEmpty { s.writerActive = false }
      return !s.queued.isEmpty
    }
    if more { scheduleWriter() }
  }

  /// Takes every queued change, this store's and those of the other stores of this process queued for the same
  /// file, and writes them in one commit; the caller holds `StateStore.writing`.
  private func writeQueued() {
    guard let path else {
      let batch = takeQueued()
      guard !batch.isEmpty else { return }
      finish(batch, Result { try commit { snapshot in batch.forEach { $0.change(&snapshot) } } })
      return
    }
    SharedStateWrites.write(path: path, including: self)
  }

  func takeQueued() -> [QueuedChange] {
    state.withLockedValue { s in
      defer { s.queued = [] }
      s.beingWritten = s.queued.count
      return s.queued
    }
  }

  /// Tells the batch's recorders how their write went (a written-behind batch that failed is a warning).
  func finish(_ batch: [QueuedChange], _ result: Result<Void, Error>) {
    state.withLockedValue { $0.beingWritten = 0 }
    if case .failure(let error) = result, batch.contains(where: { $0.continuation == nil }) { warn(error) }
    batch.forEach { $0.continuation?.resume(returning: result) }
  }

  private func warn(_ error: Error) {
    let message = "state cache not saved: \(error); continuing (CAS is the source of truth)"
    state.withLockedValue { s in
      if !s.writeWarnings.contains(message) { s.writeWarnings.append(message) }
    }
  }
}
