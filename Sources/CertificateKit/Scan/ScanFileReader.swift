#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a whole file with one `open`, one `fstat` and (normally) one `read`.
enum ScanFileReader {
  /// What reading a file gave.
  enum Outcome {
    case bytes([UInt8])
    case tooLarge(Int)
    case failed(String)
  }

  static func read(_ path: String, maxSize: Int) -> Outcome {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return .failed(FileSystemErrno(code: errno).message) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failed(FileSystemErrno(code: errno).message) }
    guard FileSystemCall.isRegular(info) else { return .failed("not a regular file") }
    let size = Int(info.st_size)
    guard size <= maxSize else { return .tooLarge(size) }
    var failure: Int32 = 0
    let bytes = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buffer, count in
      count = 0
      guard let base = buffer.baseAddress else { return }
      while count < size {
        let got = Glibc.read(descriptor, base + count, size - count)
        if got < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        if got == 0 { break }
        count += got
      }
    }
    if failure != 0 { return .failed(FileSystemErrno(code: failure).message) }
    return .bytes(bytes)
  }
}
