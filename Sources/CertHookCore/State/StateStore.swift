import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The JSON state cache: mode 0600, atomic replace (temp + fsync + rename), guarded by a lock file.
///
/// Rules it keeps: the cache is never a weapon and never a liar.
/// - A path that exists and is not a regular file (or a symlink to one) is refused before it is opened; the lock
///   and temporary files are opened with `O_NOFOLLOW`, so a planted symlink never gets its target created.
/// - The file carries a header (`"format": "certhook-state"`, `"version"`); a file without it is not overwritten.
/// - Facts are kept per `StateScope` (CAS endpoint, account): a store only reads and writes its own scope.
/// - A missing or corrupt file starts empty with a warning, and a cache that cannot be written is a warning
///   (`recordOrWarn`): CAS is the source of truth, so losing the file costs only speed.
/// - Two processes never corrupt it: every write takes an exclusive `flock` on `<path>.lock`, re-reads the file
///   (unless it is still the very file this process last read or wrote: same inode, size and modification time), applies the
///   change and replaces it atomically. Concurrent recorders share writes (group commit), so a run of N changes
///   costs far fewer than N rewrites of a file that grows with N.
public final class StateStore: Sendable {
  /// The file path; nil keeps the state in memory only.
  public let path: String?
  private let scopeResolver: (@Sendable () async -> StateScope)?
  private let refresh: Bool
  /// Everything that changes, behind one lock.
  private let state: NIOLockedValueBox<State>

  private struct State {
    /// The cloud whose facts this store reads and writes; nil until `prepare()` resolved it.
    var resolvedScope: StateScope?
    var preparing: Task<Void, Never>?
    var current = StateSnapshot()
    var loadWarnings: [String] = []
    var writeWarnings: [String] = []
    /// Why the file must not be written (not certhook state), if so.
    var refusal: String?
    /// `--refresh`: the first write replaces this scope's cached facts instead of merging into them.
    var discardScopeOnWrite = false
    /// Changes waiting for the writer (`recordOrWarn`), and whether a writer is draining them.
    var queued: [QueuedChange] = []
    var writerActive = false
    /// How many `writingBehind` runs are under way.
    var writeBehindScopes = 0
    /// Changes the writer took and has not written yet.
    var beingWritten = 0
    /// How many times this store replaced the file.
    var fileWrites = 0
  }

  /// A change waiting to be written, and the recorder waiting for it.
  private struct QueuedChange {
    var change: @Sendable (inout StateSnapshot) -> Void
    /// The recorder waiting for the disk; nil when written behind.
    var continuation: CheckedContinuation<Result<Void, Error>, Never>?
  }

  /// Held for each write, so that one write at a time reads, changes and replaces the file.
  private let writing = NIOLock()
  /// How long a written-behind change may wait for others to share its write.
  let writeBehindDelay: DispatchTimeInterval = .milliseconds(250)
  /// Runs the group-commit writer: file I/O and `fsync` never block a thread of the cooperative pool.
  private static let writerQueue = DispatchQueue(label: "certhook.state-writer")

  /// Opens the store and loads the file (if any). Read `warnings` for problems found; a file that must not be
  /// written (see `open`) leaves the store memory-only, and `update` then throws.
  public convenience init(path: String?, scope: StateScope = .unscoped, refresh: Bool = false) {
    self.init(path: path, scope: scope, resolver: nil, refresh: refresh)
  }

  /// Opens the store with a scope found later (e.g. by an STS call that a refused run must not make): the file is
  /// checked now, its facts are read by `prepare()`, which every reader of cached facts awaits first.
  public convenience init(path: String?, refresh: Bool = false, resolveScope: @escaping @Sendable () async -> StateScope)
  {
    self.init(path: path, scope: nil, resolver: resolveScope, refresh: refresh)
  }

  private init(
    path: String?, scope: StateScope?, resolver: (@Sendable () async -> StateScope)?, refresh: Bool
  ) {
    self.path = path
    self.state = NIOLockedValueBox(State(resolvedScope: scope))
    self.scopeResolver = resolver
    self.refresh = refresh
    guard let path else { return }
    load(path: path)
    // Never next to a refused path: /dev/null must not grow a `.lock`.
    if state.withLockedValue({ $0.refusal }) == nil { Self.removeLeftoverTemporary(path: path) }
  }

  /// The cloud whose facts this store reads and writes (`unscoped` until `prepare()` resolved a lazy scope).
  public var scope: StateScope {
    state.withLockedValue { $0.resolvedScope ?? .unscoped }
  }

  /// Resolves a lazy scope (once) and loads that scope's facts; returns at once for a store opened with a scope.
  public func prepare() async {
    let task: Task<Void, Never>? = state.withLockedValue { s in
      guard s.resolvedScope == nil, let scopeResolver else { return nil }
      if let preparing = s.preparing { return preparing }
      let created = Task { [self] in
        let scope = await scopeResolver()
        state.withLockedValue { $0.resolvedScope = scope }
        if let path { load(path: path) }
      }
      s.preparing = created
      return created
    }
    await task?.value
  }

  /// Reads the file into this scope's view (nothing while the scope is unknown).
  private func load(path: String) {
    state.withLockedValue { s in
      s.loadWarnings = []
      s.refusal = nil
      if let problem = StateFileIO.pathProblem(path) {
        s.refusal = problem
        s.loadWarnings = [problem]
        return
      }
      switch StateFileCache.read(path: path) {
      case .success(let file):
        s.current = s.resolvedScope.flatMap { file.scopes[$0.key] } ?? StateSnapshot()
      case .failure(let problem):
        if problem.refuses {
          s.refusal = problem.message
        }
        s.loadWarnings = [problem.message]
        s.current = StateSnapshot()
      }
      if refresh {
        s.current = StateSnapshot()
        s.discardScopeOnWrite = true
      }
    }
  }

  /// Opens the store, refusing (with the reason) a path that is not a regular file, or a file that is not certhook
  /// state: such a path is never opened for writing, truncated or replaced.
  public static func open(path: String?, scope: StateScope = .unscoped, refresh: Bool = false) throws -> StateStore {
    try checked(StateStore(path: path, scope: scope, refresh: refresh))
  }

  /// `open` with a lazy scope (see `init(path:refresh:resolveScope:)`).
  public static func open(
    path: String?, refresh: Bool = false, resolveScope: @escaping @Sendable () async -> StateScope
  ) throws -> StateStore {
    try checked(StateStore(path: path, refresh: refresh, resolveScope: resolveScope))
  }

  private static func checked(_ store: StateStore) throws -> StateStore {
    if let refusal = store.state.withLockedValue({ $0.refusal }) { throw CertHookError.state(refusal) }
    return store
  }

  /// Removes what a writer killed halfway left behind (`<path>.tmp`), under the lock so that a live writer's
  /// temporary file is never touched; a run that has nothing to write still cleans up after a crashed one.
  private static func removeLeftoverTemporary(path: String) {
    var info = stat()
    guard lstat(path + ".tmp", &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
      let fd = try? StateFileIO.acquireLock(path: path + ".lock")
    else { return }
    unlink(path + ".tmp")
    _ = flock(fd, LOCK_UN)
    close(fd)
  }

  /// Warnings from loading (e.g. a corrupt file that was ignored) and from writes that failed.
  public var warnings: [String] {
    state.withLockedValue { $0.loadWarnings + $0.writeWarnings }
  }

  /// The in-memory state of this store's scope.
  public func snapshot() -> StateSnapshot {
    state.withLockedValue { $0.current }
  }

  /// The CAS identity recorded for a leaf SHA-256, if any.
  public func certificate(sha256: String) -> CertificateRecord? {
    snapshot().certificates[sha256.uppercased()]
  }

  /// Applies `change` under the file lock to the freshest state of this scope and writes it back atomically,
  /// blocking the caller until the file is replaced (tests and one-off changes; a run records with `recordOrWarn`).
  public func update(_ change: (inout StateSnapshot) -> Void) throws {
    try writing.withLock {
      // Changes recorded earlier go first, in the same write: a later change is never overwritten by an older one.
      let batch = takeQueued()
      let result = Result {
        try commit { snapshot in
          batch.forEach { $0.change(&snapshot) }
          change(&snapshot)
        }
      }
      finish(batch, result)
      try result.get()
    }
  }

  /// Records `change` for a run's many concurrent recorders. A cache that cannot be written is a warning (once per
  /// message), not an error: the change still applies in memory.
  ///
  /// Normally a group commit: changes queued while a write is under way go to disk together in the next write (one
  /// lock, one read, one encode, one `fsync` for the batch), on a writer thread outside the cooperative pool, and
  /// the caller resumes once its change is on disk. Inside `writingBehind` (a whole sync run) the caller does not
  /// wait: the change applies in memory at once and reaches the disk with the others at most `writeBehindDelay`
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

  /// Runs `body` with the run's records written behind (see `recordOrWarn`), then writes what is still queued.
  public func writingBehind<T>(_ body: () async throws -> T) async rethrows -> T {
    state.withLockedValue { $0.writeBehindScopes += 1 }
    defer {
      state.withLockedValue { $0.writeBehindScopes -= 1 }
      flush()
    }
    return try await body()
  }

  /// How many times this store replaced the file (for tests of the group commit).
  var fileWrites: Int { state.withLockedValue { $0.fileWrites } }
  /// Changes recorded and not yet written (queued, or taken by the writer).
  var pendingChanges: Int { state.withLockedValue { $0.queued.count + $0.beingWritten } }

  /// Writes every queued change now (the end of a run).
  public func flush() {
    writing.withLock { writeQueued() }
  }

  private func enqueue(
    _ change: @escaping @Sendable (inout StateSnapshot) -> Void,
    continuation: CheckedContinuation<Result<Void, Error>, Never>?
  ) {
    let startsWriter = state.withLockedValue { s -> Bool in
      if continuation == nil { change(&s.current) }
      s.queued.append(QueuedChange(change: change, continuation: continuation))
      defer { s.writerActive = true }
      return !s.writerActive
    }
    if startsWriter { scheduleWriter() }
  }

  /// Wakes the writer: at once when a recorder waits for the disk, else after `writeBehindDelay` to gather more.
  private func scheduleWriter() {
    let someoneWaits = state.withLockedValue { s in s.queued.contains { $0.continuation != nil } }
    if someoneWaits {
      Self.writerQueue.async { self.drainQueue() }
    } else {
      Self.writerQueue.asyncAfter(deadline: .now() + writeBehindDelay) { self.drainQueue() }
    }
  }

  /// The writer: writes what is queued, and again later if more arrived meanwhile.
  private func drainQueue() {
    writing.withLock { writeQueued() }
    let more = state.withLockedValue { s -> Bool in
      if s.queued.isEmpty { s.writerActive = false }
      return !s.queued.isEmpty
    }
    if more { scheduleWriter() }
  }

  /// Takes every queued change and writes them in one commit; the caller holds `writing`.
  private func writeQueued() {
    let batch = takeQueued()
    guard !batch.isEmpty else { return }
    finish(batch, Result { try commit { snapshot in batch.forEach { $0.change(&snapshot) } } })
  }

  private func takeQueued() -> [QueuedChange] {
    state.withLockedValue { s in
      defer { s.queued = [] }
      s.beingWritten = s.queued.count
      return s.queued
    }
  }

  /// Tells the batch's recorders how their write went (a written-behind batch that failed is a warning).
  private func finish(_ batch: [QueuedChange], _ result: Result<Void, Error>) {
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

  /// One write: under `<path>.lock`, reads the file (unless it is still the one this process read or wrote last:
  /// `StateFileCache`), applies
  /// `change` to this scope and replaces the file. The caller holds `writing`.
  private func commit(_ change: (inout StateSnapshot) -> Void) throws {
    let (scope, refusal, discard) = state.withLockedValue {
      ($0.resolvedScope, $0.refusal, $0.discardScopeOnWrite)
    }
    func applyInMemory() { state.withLockedValue { change(&$0.current) } }
    guard let path, let scope else {
      // Memory only, or the scope is not known yet (nothing read the cache, so nothing is worth writing).
      applyInMemory()
      return
    }
    if let problem = refusal ?? StateFileIO.pathProblem(path) {
      applyInMemory()
      throw CertHookError.state(problem)
    }
    let fd: Int32
    do {
      fd = try StateFileIO.acquireLock(path: path + ".lock")
    } catch {
      applyInMemory()
      throw error
    }
    defer {
      _ = flock(fd, LOCK_UN)
      close(fd)
    }
    var file: StateFile
    switch StateFileCache.read(path: path) {
    case .success(let found): file = found
    case .failure(let problem):
      if problem.refuses {
        applyInMemory()
        throw CertHookError.state(problem.message)
      }
      file = StateFile()
    }
    var fresh = discard ? StateSnapshot() : (file.scopes[scope.key] ?? StateSnapshot())
    change(&fresh)
    file.scopes[scope.key] = fresh
    do {
      try StateFileIO.write(file, to: path)
    } catch {
      StateFileCache.forget(path)
      applyInMemory()
      throw error
    }
    StateFileCache.wrote(file, to: path)
    state.withLockedValue { s in
      s.discardScopeOnWrite = false
      s.current = fresh
      // Changes recorded while this write was under way stay visible until their own write.
      for queued in s.queued { queued.change(&s.current) }
      s.fileWrites += 1
    }
  }
}
