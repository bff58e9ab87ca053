#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One name in a directory as `readdir` reports it (no `stat` needed for most entries).
struct DirectoryEntry {
  /// The entry's type from `d_type`, or from `lstat` when the file system does not say.
  enum Kind {
    case directory, regular, symbolicLink, other, unknown

    init(_ info: stat) {
      if FileSystemCall.isDirectory(info) {
        self = .directory
      } else if FileSystemCall.isRegular(info) {
        self = .regular
      } else if FileSystemCall.isSymlink(info) {
        self = .symbolicLink
      } else {
        self = .other
      }
    }

    init(directoryType: UInt8) {
      switch Int(directoryType) {
      case Int(DT_DIR): self = .directory
      case Int(DT_REG): self = .regular
      case Int(DT_LNK): self = .symbolicLink
      case Int(DT_UNKNOWN): self = .unknown
      default: self = .other
      }
    }
  }

  let name: String
  let kind: Kind
  let inode: UInt64

  /// The entries of `path` except `.` and `..`, sorted by the bytes of their names.
  static func list(_ path: String) -> Result<[DirectoryEntry], FileSystemErrno> {
    guard let directory = opendir(path) else { return .failure(FileSystemErrno(code: errno)) }
    defer { closedir(directory) }
    var entries: [DirectoryEntry] = []
    while let raw = readdir(directory) {
      let name = withUnsafePointer(to: &raw.pointee.d_name) { pointer in
        pointer.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: raw.pointee.d_name)) {
          String(cString: $0)
        }
      }
      if name == "." || name == ".." { continue }
      entries.append(
        DirectoryEntry(name: name, kind: Kind(directoryType: raw.pointee.d_type), inode: UInt64(raw.pointee.d_ino)))
    }
    entries.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    return .success(entries)
  }
}
