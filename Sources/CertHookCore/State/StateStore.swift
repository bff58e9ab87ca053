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
/// - Two processes never corrupt it: every write takes an exclusive `flock` on `<path>.lock`, re-reads the file,
///   applies the change and replaces it atomically.
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
  }

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
      switch StateFileIO.read(path: path) {
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

  /// Applies `change` under the file lock to the freshest state of this scope and writes it back atomically.
  public func update(_ change: (inout StateSnapshot) -> Void) throws {
    try state.withLockedValue { s in
      guard let path, let scope = s.resolvedScope else {
        // Memory only, or the scope is not known yet (nothing read the cache, so nothing is worth writing).
        change(&s.current)
        return
      }
      if let refusal = s.refusal {
        change(&s.current)
        throw CertHookError.state(refusal)
      }
      if let problem = StateFileIO.pathProblem(path) {
        change(&s.current)
        throw CertHookError.state(problem)
      }
      let fd: Int32
      do {
        fd = try StateFileIO.acquireLock(path: path + ".lock")
      } catch {
        change(&s.current)
        throw error
      }
      defer {
        _ = flock(fd, LOCK_UN)
        close(fd)
      }
      var file: StateFile
      switch StateFileIO.read(path: path) {
      case .success(let found): file = found
      case .failure(let problem):
        if problem.refuses {
          change(&s.current)
          throw CertHookError.state(problem.message)
        }
        file = StateFile()
      }
      var fresh = s.discardScopeOnWrite ? StateSnapshot() : (file.scopes[scope.key] ?? StateSnapshot())
      change(&fresh)
      file.scopes[scope.key] = fresh
      do {
        try StateFileIO.write(file, to: path)
      } catch {
        change(&s.current)
        throw error
      }
      s.discardScopeOnWrite = false
      s.current = fresh
    }
  }

  /// `update`, but a cache that cannot be written is a warning (once per message), not an error: the change still
  /// applies in memory for this run.
  public func recordOrWarn(_ change: (inout StateSnapshot) -> Void) {
    do {
      try update(change)
    } catch {
      let message = "state cache not saved: \(error); continuing (CAS is the source of truth)"
      state.withLockedValue { s in
        if !s.writeWarnings.contains(message) { s.writeWarnings.append(message) }
      }
    }
  }
}
