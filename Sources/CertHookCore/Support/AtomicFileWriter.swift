import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Replaces a file atomically: the bytes go to `temp` (in the same directory, opened without following a
/// symlink), are flushed with `fsync`, and only then renamed over `path`. A reader sees the old file or the new
/// one, never a part; a failed write removes `temp` and leaves the old file as it was.
enum AtomicFileWriter {
  /// Why a write failed (the path and the system's reason; never the content).
  struct Failure: Error, CustomStringConvertible {
    /// A lowercase sentence.
    let description: String
  }

  /// Writes `data` to `path` through `temp` with permissions `mode`.
  static func write(_ data: Data, to path: String, temp: String, mode: mode_t) throws {
    let fd = openFile(temp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode)
    guard fd >= 0 else {
      throw Failure(description: "cannot create \(temp): \(String(cString: strerror(errno)))")
    }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw Failure(description: "\(temp) is not a regular file; refusing to write through it")
    }
    var ok = true
    data.withUnsafeBytes { raw in
      guard var base = raw.baseAddress else { return }
      var remaining = raw.count
      while remaining > 0 {
        let n = writeBytes(fd, base, remaining)
        if n <= 0 {
          ok = false
          return
        }
        remaining -= n
        base = base.advanced(by: n)
      }
    }
    if ok { ok = fchmod(fd, mode) == 0 && fsync(fd) == 0 }
    let writeErrno = errno
    close(fd)
    guard ok else {
      unlink(temp)
      throw Failure(description: "cannot write \(temp): \(String(cString: strerror(writeErrno)))")
    }
    guard rename(temp, path) == 0 else {
      let message = String(cString: strerror(errno))
      unlink(temp)
      throw Failure(description: "cannot replace \(path): \(message)")
    }
  }
}

@inline(__always)
private func writeBytes(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}

@inline(__always)
private func openFile(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
  open(path, flags, mode)
}
