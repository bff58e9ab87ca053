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
///   (unless it is still the very file this process last read or wrote: `StateFileCache`), applies the change and
///   replaces it atomically. Concurrent recorders share writes (`StateStore+Recording`).
public final class StateStore: Sendable {
  /// The file path; nil keeps the state in memory only.
  public let path: String?
  private let scopeResolver: (@Sendable () async -> StateScope)?
  private let refresh: Bool
  /// Everything that changes, behind one lock.
  let state: NIOLockedValueBox<State>

  struct State {
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
  struct QueuedChange {
    var change: @Sendable (inout StateSnapshot) -> Void
    /// The recorder waiting for the disk; nil when written behind.
    var continuation: CheckedContinuation<Result<Void, Error>, Never>?
  }

  /// Held for each write, so that one write at a time in this process reads, changes and replaces a file, and the
  /// changes of every store reach it in the order they were taken.
  static let writing = NIOLock()
  /// How long (seconds) a written-behind change may wait for others to share its write.
  static let writeBehindSeconds = 0.25
  /// Runs the group-commit writer: file I/O and `fsync` never block a thread of the cooperative pool.
  static let writerQueue = DispatchQueue(label: "certhook.state-writer")

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
    try Self.writing.withLock {
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

  /// One write of this store's `change` (see `commit(_:path:change:)`); a memory-only store applies it in memory.
  /// The caller holds `StateStore.writing`.
  func commit(_ change: (inout StateSnapshot) -> Void) throws {
    guard let path else {
      state.withLockedValue { change(&$0.current) }
      return
    }
    try Self.commit([self], path: path) { _, snapshot in change(&snapshot) }[0].get()
  }

  /// One write of several stores' changes to the file they share: under `<path>.lock`, reads the file (unless it
  /// is still the one this process read or wrote last: `StateFileCache`), applies `change(i, ...)` to the scope of
  /// `stores[i]`, in order, and replaces the file once. A store whose scope is not known yet, or whose file must
  /// not be written, keeps its change in memory. Returns each store's outcome. The caller holds `StateStore.writing`.
  static func commit(
    _ stores: [StateStore], path: String, change: (Int, inout StateSnapshot) -> Void
  ) -> [Result<Void, Error>] {
    var results = [Result<Void, Error>](repeating: .success(()), count: stores.count)
    var writable: [(index: Int, scope: StateScope, discard: Bool)] = []
    for (i, store) in stores.enumerated() {
      let (scope, refusal, discard) = store.state.withLockedValue {
        ($0.resolvedScope, $0.refusal, $0.discardScopeOnWrite)
      }
      // Memory only while the scope is not known (nothing read the cache, so nothing is worth writing).
      guard let scope else {
        store.state.withLockedValue { change(i, &$0.current) }
        continue
      }
      if let problem = refusal ?? StateFileIO.pathProblem(path) {
        store.state.withLockedValue { change(i, &$0.current) }
        results[i] = .failure(CertHookError.state(problem))
        continue
      }
      writable.append((i, scope, discard))
    }
    guard !writable.isEmpty else { return results }
    func fail(_ error: Error) -> [Result<Void, Error>] {
      for part in writable {
        stores[part.index].state.withLockedValue { change(part.index, &$0.current) }
        results[part.index] = .failure(error)
      }
      return results
    }
    let fd: Int32
    do {
      fd = try StateFileIO.acquireLock(path: path + ".lock")
    } catch {
      return fail(error)
    }
    defer {
      _ = flock(fd, LOCK_UN)
      close(fd)
    }
    var file: StateFile
    switch StateFileCache.read(path: path) {
    case .success(let found): file = found
    case .failure(let problem):
      if problem.refuses { return fail(CertHookError.state(problem.message)) }
      file = StateFile()
    }
    for part in writable {
      var fresh = part.discard ? StateSnapshot() : (file.scopes[part.scope.key] ?? StateSnapshot())
      change(part.index, &fresh)
      file.scopes[part.scope.key] = fresh
    }
    do {
      try StateFileIO.write(file, to: path)
    } catch {
      StateFileCache.forget(path)
      // Nothing reached the disk: each store applies its own change to what it had.
      return fail(error)
    }
    StateFileCache.wrote(file, to: path)
    for part in writable {
      let written = file.scopes[part.scope.key] ?? StateSnapshot()
      stores[part.index].state.withLockedValue { s in
        s.discardScopeOnWrite = false
        s.current = written
        // Changes recorded while this write was under way stay visible until their own write.
        for queued in s.queued { queued.change(&s.current) }
        s.fileWrites += 1
      }
    }
    return results
  }
}
