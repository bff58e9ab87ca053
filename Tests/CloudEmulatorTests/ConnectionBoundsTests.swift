import CloudEmulator
import Foundation
import XCTest
import CertHookTestSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Issue 11: an oversized body gets the documented error JSON (not an empty 500), and idle or slowly trickling
/// connections are dropped after the connection timeout.
final class ConnectionBoundsTests: XCTestCase {
  func start(timeout: Duration = .seconds(30)) async throws -> EmulatorHarness {
    let harness = try await EmulatorHarness.start { $0.connectionTimeout = timeout }
    addTeardownBlock { await harness.stop() }
    return harness
  }

  func testTenMegabyteBodyIsAnsweredWithTheErrorJSON() async throws {
    let h = try await start()
    let body = Array(repeating: UInt8(ascii: "a"), count: 10 << 20)
    let reply = try await h.client.send(headers: [("content-type", "application/x-www-form-urlencoded")], body: body)
    XCTAssertEqual(reply.status, 413)
    XCTAssertEqual(reply.code, "RequestEntityTooLarge")
    XCTAssertEqual(Set(reply.json.keys), ["RequestId", "HostId", "Code", "Message", "Recommend"])
    // The emulator still serves the next request.
    let next = try await h.call("ListListeners")
    XCTAssertEqual(next.status, 200)
  }

  func testIdleConnectionIsDropped() async throws {
    let h = try await start(timeout: .milliseconds(300))
    let socket = try RawSocket(port: h.server.port)
    defer { socket.close() }
    XCTAssertTrue(socket.waitsForClose(seconds: 10), "an idle connection is closed by the server")
  }

  func testSlowlorisHeadIsDropped() async throws {
    let h = try await start(timeout: .milliseconds(300))
    let socket = try RawSocket(port: h.server.port)
    defer { socket.close() }
    socket.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nx-acs-action: List")
    XCTAssertTrue(socket.waitsForClose(seconds: 10), "a request head that never ends is cut off")
  }

  func testSlowBodyIsDropped() async throws {
    let h = try await start(timeout: .milliseconds(300))
    let socket = try RawSocket(port: h.server.port)
    defer { socket.close() }
    socket.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nAction=List")
    XCTAssertTrue(socket.waitsForClose(seconds: 10), "a body that never completes is cut off")
  }
}

/// A blocking TCP client socket on 127.0.0.1, enough to hold a connection open and see when the server closes it.
final class RawSocket {
  private let fd: Int32

  init(port: Int) throws {
    #if canImport(Glibc)
      fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else {
      Glibc.close(fd)
      throw POSIXError(.ECONNREFUSED)
    }
  }

  func write(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
  }

  /// True when the server closes the connection (read returns 0 or an error) within `seconds`.
  func waitsForClose(seconds: Int) -> Bool {
    var timeout = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n == 0 { return true }
      if n < 0 { return errno == ECONNRESET }
      // Data (an error answer) may precede the close: keep reading.
    }
  }

  func close() {
    Glibc.close(fd)
  }
}
