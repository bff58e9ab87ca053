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
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)  // never block on a fifo swapped in after the walk
    guard descriptor >= 0 else { return .failed(FileSystemErrno(code: errno).message) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failed(FileSystemErrno(code: errno).message) }
    guard FileSystemCall.isRegular(info) else { return .failed("not a regular file") }
    let size = Int(info.st_size)
    guard size <= maxSize else { return .tooLarge(size) }
    if size == 0 { return readUnsized(descriptor, maxSize: maxSize) }
    var failure: Int32 = 0
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      count = 0
      guard let base = buffer.baseAddress else { return }
      while count < size {
        let got = systemRead(descriptor, base + count, size - count)
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

  /// Files whose size `fstat` reports as 0 (empty, or pseudo-files such as procfs): read in chunks.
  private static func readUnsized(_ descriptor: Int32, maxSize: Int) -> Outcome {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let got = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
      if got < 0 {
        if errno == EINTR { continue }
        return .failed(FileSystemErrno(code: errno).message)
      }
      if got == 0 { return .bytes(bytes) }
      bytes.append(contentsOf: chunk[0..<got])
      if bytes.count > maxSize { return .tooLarge(bytes.count) }
    }
  }
}

/// `read(2)`, named apart from ``ScanFileReader/read(_:maxSize:)``.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}
