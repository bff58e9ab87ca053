import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The state file on disk: path checks, reading with its header, the lock file, atomic 0600 writes, every open
/// with `O_NOFOLLOW`. `StateStore` decides what the cache means; this type only moves bytes safely.
enum StateFileIO {

  /// Why a state path must not be used: it exists and is not a regular file (a symlink to one is fine).
  static func pathProblem(_ path: String) -> String? {
    var info = stat()
    // Absent (or a dangling symlink, which the atomic rename replaces): nothing to protect.
    guard stat(path, &info) == 0 else { return nil }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      return "state path \(path) exists and is not a regular file (\(kind(info.st_mode))); "
        + "refusing to use it: pass --state with a file path"
    }
    return nil
  }

  private static func kind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFDIR: return "a directory"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFIFO: return "a FIFO"
    case S_IFSOCK: return "a socket"
    default: return "not a regular file"
    }
  }

  /// A problem reading the file; `refuses` when the file must not be overwritten.
  struct ReadProblem: Error {
    var message: String
    var refuses: Bool
  }

  static func read(path: String) -> Result<StateFile, ReadProblem> {
    guard FileManager.default.fileExists(atPath: path) else { return .success(StateFile()) }
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failure(
        ReadProblem(
          message: "state file \(path) is unreadable; starting empty (CAS is the source of truth)", refuses: false))
    }
    switch StateFile.classify(data) {
    case .empty: return .success(StateFile())
    case .state(let file): return .success(file)
    case .corrupt:
      return .failure(
        ReadProblem(
          message: "state file \(path) is corrupt; starting empty (CAS is the source of truth)", refuses: false))
    case .legacy:
      return .failure(
        ReadProblem(
          message: "state file \(path) is from an older certhook (version 1, facts not tied to an account); "
            + "starting empty (CAS is the source of truth)", refuses: false))
    case .newer(let version):
      return .failure(
        ReadProblem(
          message: "state file \(path) was written by a newer certhook (format version \(version)); "
            + "refusing to overwrite it: pass another --state", refuses: true))
    case .foreign:
      return .failure(
        ReadProblem(
          message: "\(path) is not a certhook state file (no \"format\": \"\(StateFile.formatName)\" header); "
            + "refusing to overwrite it: pass --state with another path", refuses: true))
    }
  }

  /// What tells one version of the file from another: a rename gives a new inode, a rewrite a new size or time.
  struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
  }

  /// The identity of the file at `path`, nil when there is none.
  static func identity(_ path: String) -> FileIdentity? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return FileIdentity(
      device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
      modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
  }

  static func acquireLock(path: String) throws -> Int32 {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
      do {
        try FileManager.default.createDirectory(
          atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        throw CertHookError.state("cannot create directory \(directory): \(error.localizedDescription)")
      }
    }
    // O_NOFOLLOW: a planted symlink (even a dangling one) never gets its target created or locked.
    let fd = posixOpen(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw CertHookError.state("cannot open lock file \(path): \(String(cString: strerror(errno)))")
    }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw CertHookError.state("lock file \(path) is not a regular file; refusing to use it")
    }
    guard flock(fd, LOCK_EX) == 0 else {
      let message = String(cString: strerror(errno))
      close(fd)
      throw CertHookError.state("cannot lock \(path): \(message)")
    }
    return fd
  }

  static func write(_ file: StateFile, to path: String) throws {
    let data: Data
    do {
      data = try file.encoded()
    } catch {
      throw CertHookError.state("cannot encode state: \(error)")
    }
    // One fixed name: writes happen under the `<path>.lock` flock, so no two writers share it, and a writer that
    // was killed mid-write leaves at most this one file, which the next write truncates and renames away.
    let temp = path + ".tmp"
    do {
      try AtomicFileWriter.write(data, to: path, temp: temp, mode: 0o600)
    } catch {
      throw CertHookError.state("\(error)")
    }
  }
}

/// `open(2)` (the type's own `open` shadows it inside `StateStore`).
@inline(__always)
private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
  open(path, flags, mode)
}
