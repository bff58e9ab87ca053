import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds TCP ports for TLS listeners: tests pick `--tls-port-offset` as a free port minus the listener port.
public enum LoopbackPort {
  /// A TCP port that is free on the IPv4 `address` at this moment (the kernel's choice for port 0).
  public static func free(address: String) throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw EmulatorError("cannot open a socket to find a free port on \(address)") }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    guard inet_pton(AF_INET, address, &addr.sin_addr) == 1 else {
      throw EmulatorError("\(address) is not an IPv4 address")
    }
    let size = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) }
    }
    guard bound == 0 else { throw EmulatorError("cannot bind \(address) to find a free port") }
    var length = size
    let named = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw EmulatorError("cannot read the port bound on \(address)") }
    return Int(UInt16(bigEndian: addr.sin_port))
  }
}
