import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds TCP ports for TLS listeners: tests pick `--tls-port-offset` as a free port minus the listener port.
public enum LoopbackPort {
  /// An offset that moves every one of `ports` to a valid port (1-65535) free on `address` at this moment, for
  /// `--tls-port-offset`: the kernel's free port for the first one, tried again until the others fit too.
  public static func freeOffset(address: String, for ports: [Int]) throws -> Int {
    guard let first = ports.first else { return try free(address: address) }
    for _ in 0..<64 {
      let offset = try free(address: address) - first
      let moved = ports.map { $0 + offset }
      if moved.allSatisfy({ (1...65535).contains($0) }), try moved.dropFirst().allSatisfy({ try isFree($0, address: address) }) {
        return offset
      }
    }
    throw EmulatorError("no port offset on \(address) fits \(ports.map(String.init).joined(separator: ", ")) in 64 tries")
  }

  /// Whether `port` can be bound on `address` right now.
  static func isFree(_ port: Int, address: String) throws -> Bool {
    (try? bound(address: address, port: port)) != nil
  }

  /// A TCP port that is free on the IPv4 `address` at this moment (the kernel's choice for port 0).
  public static func free(address: String) throws -> Int {
    try bound(address: address, port: 0)
  }

  /// Binds `port` (0: the kernel's choice) on `address`, closes it again and returns the port.
  private static func bound(address: String, port: Int) throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw EmulatorError("cannot open a socket to find a free port on \(address)") }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
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
