import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The JSON state cache: mode 0600, atomic replace (temp + fsync + rename), guarded by a lock file.
///
/// A missing or corrupt file starts empty with a warning: CAS is the source of truth, so losing the file costs
/// only speed. Two processes never corrupt it: every write takes an exclusive `flock` on `<path>.lock`, re-reads
/// the file, applies the change and replaces it atomically.
public final class StateStore: @unchecked Sendable {
  /// The file path; nil keeps the state in memory only.
  public let path: String?
  private let lock = NSLock()
  private var current = StateSnapshot()
  private var loadWarnings: [String] = []

  /// Opens the store and loads the file (if any). Read `warnings` for problems found.
  public init(path: String?) {
    self.path = path
    if let path {
      let (snapshot, warnings) = Self.read(path: path)
      current = snapshot
      loadWarnings = warnings
      Self.removeLeftoverTemporary(path: path)
    }
  }

  /// Removes what a writer killed halfway left behind (`<path>.tmp`), under the lock so that a live writer's
  /// temporary file is never touched; a run that has nothing to write still cleans up after a crashed one.
  private static func removeLeftoverTemporary(path: String) {
    guard FileManager.default.fileExists(atPath: path + ".tmp"),
      let fd = try? acquireLock(path: path + ".lock")
    else { return }
    unlink(path + ".tmp")
    _ = flock(fd, LOCK_UN)
    close(fd)
  }

  /// Warnings from loading (e.g. a corrupt file that was ignored).
  public var warnings: [String] {
    lock.lock()
    defer { lock.unlock() }
    return loadWarnings
  }

  /// The in-memory state.
  public func snapshot() -> StateSnapshot {
    lock.lock()
    defer { lock.unlock() }
    return current
  }

  /// The CAS identity recorded for a leaf SHA-256, if any.
  public func certificate(sha256: String) -> CertificateRecord? {
    snapshot().certificates[sha256.uppercased()]
  }

  /// Applies `change` under the file lock to the freshest state and writes it back atomically.
  public func update(_ change: (inout StateSnapshot) -> Void) throws {
    lock.lock()
    defer { lock.unlock() }
    guard let path else {
      change(&current)
      return
    }
    let fd = try Self.acquireLock(path: path + ".lock")
    defer {
      _ = flock(fd, LOCK_UN)
      close(fd)
    }
    var fresh = FileManager.default.fileExists(atPath: path) ? Self.read(path: path).0 : current
    change(&fresh)
    try Self.write(fresh, to: path)
    current = fresh
  }

  // MARK: - file handling

  private static func read(path: String) -> (StateSnapshot, [String]) {
    guard FileManager.default.fileExists(atPath: path) else { return (StateSnapshot(), []) }
    guard let data = FileManager.default.contents(atPath: path) else {
      return (StateSnapshot(), ["state file \(path) is unreadable; starting empty (CAS is the source of truth)"])
    }
    if data.isEmpty { return (StateSnapshot(), []) }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    do {
      let snapshot = try decoder.decode(StateSnapshot.self, from: data)
      return (snapshot, [])
    } catch {
      return (StateSnapshot(), ["state file \(path) is corrupt; starting empty (CAS is the source of truth)"])
    }
  }

  private static func acquireLock(path: String) throws -> Int32 {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
      do {
        try FileManager.default.createDirectory(
          atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        throw CertHookError.state("cannot create directory \(directory): \(error.localizedDescription)")
      }
    }
    let fd = open(path, O_RDWR | O_CREAT, 0o600)
    guard fd >= 0 else {
      throw CertHookError.state("cannot open lock file \(path): \(String(cString: strerror(errno)))")
    }
    guard flock(fd, LOCK_EX) == 0 else {
      let message = String(cString: strerror(errno))
      close(fd)
      throw CertHookError.state("cannot lock \(path): \(message)")
    }
    return fd
  }

  private static func write(_ snapshot: StateSnapshot, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    let data: Data
    do {
      data = try encoder.encode(snapshot)
    } catch {
      throw CertHookError.state("cannot encode state: \(error)")
    }
    // One fixed name: writes happen under the `<path>.lock` flock, so no two writers share it, and a writer that
    // was killed mid-write leaves at most this one file, which the next write truncates and renames away.
    let temp = path + ".tmp"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else {
      throw CertHookError.state("cannot create \(temp): \(String(cString: strerror(errno)))")
    }
    var ok = true
    data.withUnsafeBytes { raw in
      guard var base = raw.baseAddress else { return }
      var remaining = raw.count
      while remaining > 0 {
        let n = Glibc_write(fd, base, remaining)
        if n <= 0 {
          ok = false
          return
        }
        remaining -= n
        base = base.advanced(by: n)
      }
    }
    if ok { ok = fchmod(fd, 0o600) == 0 && fsync(fd) == 0 }
    let writeErrno = errno
    close(fd)
    guard ok else {
      unlink(temp)
      throw CertHookError.state("cannot write \(temp): \(String(cString: strerror(writeErrno)))")
    }
    guard rename(temp, path) == 0 else {
      let message = String(cString: strerror(errno))
      unlink(temp)
      throw CertHookError.state("cannot replace \(path): \(message)")
    }
  }
}

@inline(__always)
private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
