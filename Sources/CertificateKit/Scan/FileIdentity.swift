#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file's device and inode: two paths with the same identity are the same file.
struct FileIdentity: Hashable {
  let device: UInt64
  let inode: UInt64

  init(device: UInt64, inode: UInt64) {
    self.device = device
    self.inode = inode
  }

  init(_ status: stat) {
    self.device = UInt64(status.st_dev)
    self.inode = UInt64(status.st_ino)
  }
}

/// Thin wrappers over `stat`, `lstat` and `strerror` that return Swift values.
enum FileSystemCall {
  /// `stat` (follows links) or `lstat`; returns the errno on failure.
  static func status(_ path: String, followLinks: Bool) -> Result<stat, FileSystemErrno> {
    var info = stat()
    let rc = followLinks ? stat(path, &info) : lstat(path, &info)
    if rc != 0 { return .failure(FileSystemErrno(code: errno)) }
    return .success(info)
  }

  static func isDirectory(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFDIR }
  static func isRegular(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFREG }
  static func isSymlink(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFLNK }
}

/// An `errno` value with its lowercase text (`no such file or directory`).
struct FileSystemErrno: Error {
  let code: Int32

  /// The reason a symbolic link could not be followed.
  var linkMessage: String {
    switch code {
    case ENOENT: return "broken symbolic link"
    case ELOOP: return "symbolic link loop"
    default: return "symbolic link: \(message)"
    }
  }

  var message: String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text).lowercased()
  }
}
