import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A raw TCP server on 127.0.0.1 for transport tests: answers every connection with `head` and then trickles
/// `trickle` one byte every `interval` until the client goes away or the server stops.
final class TricklingServer: @unchecked Sendable {
  let port: Int
  private let fd: Int32
  private let lock = NSLock()
  private var stopped = false

  init(head: String, trickle: Int, interval: TimeInterval) throws {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
    }
    guard bound == 0, listen(listener, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
    }
    fd = listener
    port = Int(UInt16(bigEndian: address.sin_port))
    Thread.detachNewThread { [self] in
      while true {
        let client = accept(listener, nil, nil)
        guard client >= 0 else { return }
        Thread.detachNewThread { [self] in serve(client, head: head, trickle: trickle, interval: interval) }
      }
    }
  }

  private func serve(_ client: Int32, head: String, trickle: Int, interval: TimeInterval) {
    defer { close(client) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    _ = recv(client, &buffer, buffer.count, 0)
    let bytes = Array(head.utf8)
    guard send(client, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { return }
    for _ in 0..<trickle {
      if lock.withLock({ stopped }) { return }
      Thread.sleep(forTimeInterval: interval)
      let byte: [UInt8] = [0x20]
      guard send(client, byte, 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
    }
  }

  func stop() {
    lock.withLock { stopped = true }
    shutdown(fd, Int32(SHUT_RDWR))
    close(fd)
  }

  /// A loopback port on which nothing listens (bound, then closed).
  static func closedPort() throws -> Int {
    let server = try TricklingServer(head: "", trickle: 0, interval: 0)
    let port = server.port
    server.stop()
    return port
  }
}
