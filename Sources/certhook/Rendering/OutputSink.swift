#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A buffered writer to a file descriptor: renderers append bytes, the sink writes them in 64 KiB chunks,
/// so a 100,000-certificate report never sits in memory as one string.
final class OutputSink {
  private let descriptor: Int32
  private var buffer: [UInt8] = []
  private let chunk: Int

  /// A sink writing to `descriptor` (1 = standard output), flushing every `chunk` bytes.
  init(descriptor: Int32 = 1, chunk: Int = 1 << 16) {
    self.descriptor = descriptor
    self.chunk = chunk
    buffer.reserveCapacity(chunk + 4096)
  }

  deinit { flush() }

  /// Appends text.
  func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= chunk { flush() }
  }

  /// Appends bytes through a closure that writes straight into the buffer.
  func withBuffer(_ body: (inout [UInt8]) -> Void) {
    body(&buffer)
    if buffer.count >= chunk { flush() }
  }

  /// Writes everything buffered (errors such as a closed pipe end the output silently).
  func flush() {
    var offset = 0
    buffer.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return }
      while offset < raw.count {
        let written = systemWrite(descriptor, base + offset, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          offset = raw.count
          return
        }
        offset += written
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

/// `write(2)`, named apart from ``OutputSink/write(_:)``.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}
