import Foundation
import NIOConcurrencyHelpers

/// The written-behind changes of every store of this process, by file. A fleet run opens one store per session
/// (60 for 20 accounts in 3 regions), all on one file; each replacing the whole file on its own timer kept a core
/// busy encoding it. Rules it keeps:
/// - One writer per file: it wakes `StateStore.writeBehindSeconds` after the first change queued for the file, or
///   ten times as long as the file's last write took when that is longer (encoding a large file never takes more
///   than about a tenth of the run), and takes every store's queued changes into one replace of the file.
/// - Inside `together` (a fleet run), a session's end does not write the file; the end of the whole run does.
/// - Changes still reach the file in the order they were recorded: every write holds `StateStore.writing`.
enum SharedStateWrites {
  private struct Book {
    var stores: [String: [ObjectIdentifier: StateStore]] = [:]
    var scheduled: Set<String> = []
    var lastWriteSeconds: [String: Double] = [:]
    var together = 0
  }

  private static let book = NIOLockedValueBox(Book())

  /// Queues `store` (whose change is in its queue) for the next write of `path`, waking the writer if none is due.
  static func queue(_ store: StateStore, path: String) {
    let due = book.withLockedValue { b -> Double? in
      b.stores[path, default: [:]][ObjectIdentifier(store)] = store
      return b.scheduled.insert(path).inserted ? delay(b, path) : nil
    }
    if let due { wake(path, after: due) }
  }

  /// Writes the changes queued for `path` by every store (and `store`'s, queued or not) in one commit. The caller
  /// holds `StateStore.writing`.
  static func write(path: String, including store: StateStore?) {
    var stores = book.withLockedValue { $0.stores.removeValue(forKey: path) ?? [:] }
    if let store { stores[ObjectIdentifier(store)] = store }
    let parts = stores.values.map { ($0, $0.takeQueued()) }.filter { !$0.1.isEmpty }
    guard !parts.isEmpty else { return }
    let started = DispatchTime.now().uptimeNanoseconds
    let results = StateStore.commit(parts.map(\.0), path: path) { i, snapshot in
      parts[i].1.forEach { $0.change(&snapshot) }
    }
    let took = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    book.withLockedValue { $0.lastWriteSeconds[path] = took }
    for (part, result) in zip(parts, results) { part.0.finish(part.1, result) }
  }

  /// True inside `together`.
  static var isTogether: Bool { book.withLockedValue { $0.together > 0 } }

  /// Runs `body` (a fleet run's sessions) with the end-of-session writes left to its end, then writes everything
  /// still queued, for every file.
  static func together<T>(_ body: () async throws -> T) async rethrows -> T {
    book.withLockedValue { $0.together += 1 }
    defer {
      let paths = book.withLockedValue { b -> [String] in
        b.together -= 1
        return b.together == 0 ? Array(b.stores.keys) : []
      }
      for path in paths { StateStore.writing.withLock { write(path: path, including: nil) } }
    }
    return try await body()
  }

  private static func delay(_ book: Book, _ path: String) -> Double {
    max(StateStore.writeBehindSeconds, 10 * (book.lastWriteSeconds[path] ?? 0))
  }

  private static func wake(_ path: String, after seconds: Double) {
    StateStore.writerQueue.asyncAfter(deadline: .now() + seconds) {
      StateStore.writing.withLock { write(path: path, including: nil) }
      let again = book.withLockedValue { b -> Double? in
        guard let queued = b.stores[path], !queued.isEmpty else {
          b.scheduled.remove(path)
          return nil
        }
        return delay(b, path)
      }
      if let again { wake(path, after: again) }
    }
  }
}
